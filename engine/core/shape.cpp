// Shape arithmetic and printing.
#include "core/shape.h"

#include "core/error.h"

namespace neurite {

Shape::Shape(std::initializer_list<int64_t> dims) {
    for (int64_t d : dims) push(d);
}

void Shape::push(int64_t d) {
    NEURITE_CHECK(m_rank < kMaxRank, "shape rank exceeds 6");
    m_dims[static_cast<std::size_t>(m_rank++)] = d;
}

int64_t Shape::numel() const { return numelFrom(0); }

int64_t Shape::numelFrom(int from) const {
    int64_t n = 1;
    for (int i = from; i < m_rank; ++i) n *= (m_dims[static_cast<std::size_t>(i)] == kBatch ? 1 : m_dims[static_cast<std::size_t>(i)]);
    return n;
}

Shape Shape::withBatch(int64_t n) const {
    Shape s = *this;
    if (s.m_rank > 0) s.m_dims[0] = n;
    return s;
}

bool Shape::operator==(const Shape& o) const {
    if (m_rank != o.m_rank) return false;
    for (int i = 0; i < m_rank; ++i)
        if ((*this)[i] != o[i]) return false;
    return true;
}

std::string Shape::str() const {
    std::string s = "[";
    for (int i = 0; i < m_rank; ++i) {
        if (i) s += ",";
        s += (*this)[i] == kBatch ? std::string("N") : std::to_string((*this)[i]);
    }
    return s + "]";
}

std::size_t ShapeHash::operator()(const Shape& s) const {
    std::size_t h = static_cast<std::size_t>(s.rank());
    for (int64_t d : s) h = h * 1000003u ^ static_cast<std::size_t>(d);
    return h;
}

}  // namespace neurite
