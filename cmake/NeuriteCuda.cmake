# Decides whether the CUDA backend is built (NEURITE_WITH_CUDA = AUTO|ON|OFF).
# Architectures are named explicitly so that a machine without a GPU still compiles device code.
set(NEURITE_HAVE_CUDA OFF)
if(NOT NEURITE_WITH_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(NEURITE_HAVE_CUDA ON)
    # cuDNN: with the toolkit, or where NEURITE_CUDNN_ROOT / CUDNN_ROOT (e.g. PyTorch's
    # nvidia-cudnn wheel) points. Without it only the probe is built and `devices` says why.
    find_path(NEURITE_CUDNN_INCLUDE_DIR cudnn.h
      HINTS ${NEURITE_CUDNN_ROOT} $ENV{NEURITE_CUDNN_ROOT} $ENV{CUDNN_ROOT} ${CUDAToolkit_INCLUDE_DIRS}
      PATH_SUFFIXES include)
    find_library(NEURITE_CUDNN_LIBRARY NAMES cudnn libcudnn.so.9
      HINTS ${NEURITE_CUDNN_ROOT} $ENV{NEURITE_CUDNN_ROOT} $ENV{CUDNN_ROOT} ${CUDAToolkit_LIBRARY_DIR}
      PATH_SUFFIXES lib lib64)
    if(NOT TARGET CUDA::cublas)
      message(STATUS "Neurite: cuBLAS not found in the CUDA toolkit; only the CUDA probe is built")
    elseif(NEURITE_CUDNN_INCLUDE_DIR AND NEURITE_CUDNN_LIBRARY)
      message(STATUS "Neurite: CUDA backend plugin ON (${CMAKE_CUDA_COMPILER}, architectures ${CMAKE_CUDA_ARCHITECTURES}, cuDNN ${NEURITE_CUDNN_LIBRARY})")
    else()
      message(STATUS "Neurite: cuDNN not found; only the CUDA probe is built (set NEURITE_CUDNN_ROOT)")
    endif()
  elseif(NEURITE_WITH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "NEURITE_WITH_CUDA=ON but no CUDA compiler (nvcc) was found")
  else()
    message(STATUS "Neurite: CUDA backend OFF (nvcc not found)")
  endif()
endif()
