// Shape: up to 6 dimensions, row-major (NCHW for images). A dimension of -1 (kBatch) is the
// symbolic batch size used by shape inference before a concrete batch is known.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace neurite {

class Shape {
public:
    static constexpr int kMaxRank = 6;
    static constexpr int64_t kBatch = -1;

    Shape() = default;
    Shape(std::initializer_list<int64_t> dims);
    template <class It>
    Shape(It first, It last) {
        for (; first != last; ++first) push(static_cast<int64_t>(*first));
    }

    int rank() const { return m_rank; }
    int64_t operator[](int i) const { return m_dims[static_cast<std::size_t>(i)]; }
    int64_t& operator[](int i) { return m_dims[static_cast<std::size_t>(i)]; }
    const int64_t* begin() const { return m_dims.data(); }
    const int64_t* end() const { return m_dims.data() + m_rank; }
    void push(int64_t d);

    // Product of all dimensions (a symbolic batch counts as 1).
    int64_t numel() const;
    // Product of dimensions [from, rank).
    int64_t numelFrom(int from) const;
    // The same shape with dimension 0 replaced (used to bind the batch size).
    Shape withBatch(int64_t n) const;
    bool hasSymbolicBatch() const { return m_rank > 0 && m_dims[0] == kBatch; }

    bool operator==(const Shape& o) const;
    bool operator!=(const Shape& o) const { return !(*this == o); }

    // "[N,1,28,28]"; the symbolic batch prints as N.
    std::string str() const;

private:
    std::array<int64_t, kMaxRank> m_dims{};
    int m_rank = 0;
};

struct ShapeHash {
    std::size_t operator()(const Shape& s) const;
};

}  // namespace neurite
