// Raw prediction inputs from files: PNG/JPEG images (stb_image), CSV rows, IDX and NPY arrays.
// Values stay raw (pixels 0..255, features as in the data file): the model applies its own
// preprocessing. Every reader checks the data against the model's sample shape and says which
// shape it expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape.h"
#include "data/text/text_vocabulary.h"

namespace neurite {

struct RawInputs {
    std::vector<float> values;  // count * sample.numel(), row-major
    int64_t count = 0;
};

// By extension: .png/.jpg/.jpeg/.bmp image, .csv/.txt rows, .npy array, anything with "idx" in
// its name (or .ubyte/.gz) an IDX file. Throws Error{BadInput} naming the file.
RawInputs readRawInputs(const std::string& path, const Shape& sample);

// One image as one sample; sample must be [C,H,W] with C = 1 (grey), 3 (RGB) or 4 (RGBA).
RawInputs readImage(const std::string& path, const Shape& sample);
// Comma-separated rows of sample.numel() numbers; blank lines and a header line are skipped.
// `what` names the source in messages (a file name, "the typed row").
RawInputs parseCsvRows(std::string_view text, const std::string& what, const Shape& sample);
// IDX (unsigned bytes) and NPY (f4, f8, u1, i4, i8, little-endian, C order) arrays whose items
// are samples; one NPY array of exactly the sample shape is one sample.
RawInputs readIdxInputs(const std::string& path, const Shape& sample);
RawInputs readNpy(const std::string& path, const Shape& sample);

// A text model's inputs: each text tokenized and encoded with the model's vocabulary (padded or
// truncated to its length). Error{BadInput} naming `what` for text that is not UTF-8.
RawInputs encodeTextInputs(const std::vector<std::string>& texts, const TextVocabulary& vocabulary,
                           const std::string& what);
// One text per line of a UTF-8 file (blank lines skipped; `lines` gets each text's 1-based line).
// Error{BadInput} naming the file and line for bytes that are not UTF-8, or for a file without text.
RawInputs readTextLines(const std::string& path, const TextVocabulary& vocabulary, std::vector<int64_t>* lines);

}  // namespace neurite
