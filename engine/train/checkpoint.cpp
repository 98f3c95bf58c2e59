// Checkpoint blobs: fixed-order little-endian fields (x86-64 and aarch64 are both little-endian;
// the magic check refuses anything else), floats copied bit for bit so a resume is exact.
#include "train/checkpoint.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/error.h"
#include "graph/model.h"

namespace neurite {

namespace {

constexpr uint32_t kMagic = 0x4B43524E;  // "NRCK" in little-endian byte order
// 2 added quantRanges; format 1 is still read (without them).
constexpr uint32_t kFormat = 2;

class Writer {
public:
    explicit Writer(std::vector<uint8_t>& out) : bytes(out) {}
    template <class T> void put(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const uint8_t*>(&v);
        bytes.insert(bytes.end(), p, p + sizeof(T));
    }
    void putFloats(const std::vector<float>& v) {
        put<uint64_t>(v.size());
        const auto* p = reinterpret_cast<const uint8_t*>(v.data());
        bytes.insert(bytes.end(), p, p + v.size() * sizeof(float));
    }
    void putOptional(const std::optional<double>& v) {
        put<uint8_t>(v ? 1 : 0);
        put<double>(v.value_or(0));
    }
    std::vector<uint8_t>& bytes;
};

class Reader {
public:
    Reader(std::span<const uint8_t> b, std::size_t offset, const std::string& what)
        : m_bytes(b), m_pos(offset), m_what(what) {}
    template <class T> T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::vector<float> getFloats() {
        const auto n = get<uint64_t>();
        if (n > (m_bytes.size() - m_pos) / sizeof(float)) fail("a float array longer than the blob");
        std::vector<float> v(static_cast<std::size_t>(n));
        if (!v.empty())  // an empty vector's data() may be null, which memcpy must not get
            std::memcpy(v.data(), m_bytes.data() + m_pos, v.size() * sizeof(float));
        m_pos += v.size() * sizeof(float);
        return v;
    }
    std::optional<double> getOptional() {
        const bool has = get<uint8_t>() != 0;
        const double v = get<double>();
        return has ? std::optional<double>(v) : std::nullopt;
    }
    std::size_t pos() const { return m_pos; }
    [[noreturn]] void fail(const std::string& why) const {
        throwBadInput(m_what + ": at byte " + std::to_string(m_pos) + ": corrupt checkpoint (" + why +
                      "); resume from another run or train again");
    }

private:
    void need(std::size_t n) const {
        if (m_bytes.size() - m_pos < n) fail("truncated");
    }
    std::span<const uint8_t> m_bytes;
    std::size_t m_pos;
    std::string m_what;
};

}  // namespace

uint32_t crc32Of(std::span<const uint8_t> bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths; feed large blobs in pieces.
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t n = std::min<std::size_t>(bytes.size() - at, 1u << 30);
        crc = crc32(crc, bytes.data() + at, static_cast<uInt>(n));
        at += n;
    }
    return static_cast<uint32_t>(crc);
}

std::vector<uint8_t> serializeCheckpoint(const TrainerState& s) {
    std::vector<uint8_t> out;
    serializeCheckpoint(s, out);
    return out;
}

void serializeCheckpoint(const TrainerState& s, std::vector<uint8_t>& out) {
    out.clear();
    out.reserve(sizeof(float) * (s.model.size() + s.optState1.size() + s.optState2.size() +
                                 s.bestWeights.size()) + 256);
    Writer w(out);
    w.put<uint32_t>(kMagic);
    w.put<uint32_t>(kFormat);
    const std::size_t sizeAt = out.size();
    w.put<uint64_t>(0);  // the payload size, patched below
    const std::size_t start = out.size();
    w.put<int32_t>(s.epoch);
    w.put<int64_t>(s.globalStep);
    w.putFloats(s.model);
    w.putFloats(s.optState1);
    w.putFloats(s.optState2);
    w.put<int64_t>(s.optSteps);
    w.put<float>(s.plateauLr);
    w.put<double>(s.plateauBest);
    w.put<uint8_t>(s.plateauHasBest);
    w.put<int32_t>(s.plateauBad);
    w.put<uint8_t>(s.monitorHasBest);
    w.put<double>(s.monitorBest);
    w.put<int32_t>(s.monitorBad);
    w.put<int32_t>(s.bestEpoch);
    w.put<uint8_t>(s.earlyStopped);
    w.putFloats(s.bestWeights);
    w.put<double>(s.trainSeconds);
    w.put<int64_t>(s.trainSamples);
    w.put<double>(s.trainLoss);
    w.put<double>(s.trainAccuracy);
    w.putOptional(s.valLoss);
    w.putOptional(s.valAccuracy);
    w.putFloats(s.quantRanges);
    const uint64_t size = out.size() - start;
    std::memcpy(out.data() + sizeAt, &size, sizeof size);
    w.put<uint32_t>(crc32Of(std::span<const uint8_t>(out).subspan(start, size)));
}

TrainerState deserializeCheckpoint(std::span<const uint8_t> blob, const std::string& what) {
    Reader header(blob, 0, what);
    if (header.get<uint32_t>() != kMagic) header.fail("not a Neurite checkpoint: bad magic");
    const auto format = header.get<uint32_t>();
    if (format != kFormat && format != 1)
        throwBadInput(what + ": checkpoint format " + std::to_string(format) +
                      " is not one this Neurite reads (" + std::to_string(kFormat) +
                      "); resume it with the Neurite that wrote it");
    const auto size = header.get<uint64_t>();
    const std::size_t start = header.pos();
    if (size > blob.size() - start || blob.size() - start - size != sizeof(uint32_t))
        header.fail("size " + std::to_string(size) + " does not match the blob of " +
                    std::to_string(blob.size()) + " bytes");
    const auto payload = blob.subspan(start, static_cast<std::size_t>(size));
    Reader tail(blob, start + payload.size(), what);
    if (tail.get<uint32_t>() != crc32Of(payload)) tail.fail("checksum mismatch");

    Reader r(blob.first(start + payload.size()), start, what);
    TrainerState s;
    s.epoch = r.get<int32_t>();
    s.globalStep = r.get<int64_t>();
    s.model = r.getFloats();
    s.optState1 = r.getFloats();
    s.optState2 = r.getFloats();
    s.optSteps = r.get<int64_t>();
    s.plateauLr = r.get<float>();
    s.plateauBest = r.get<double>();
    s.plateauHasBest = r.get<uint8_t>() != 0;
    s.plateauBad = r.get<int32_t>();
    s.monitorHasBest = r.get<uint8_t>() != 0;
    s.monitorBest = r.get<double>();
    s.monitorBad = r.get<int32_t>();
    s.bestEpoch = r.get<int32_t>();
    s.earlyStopped = r.get<uint8_t>() != 0;
    s.bestWeights = r.getFloats();
    s.trainSeconds = r.get<double>();
    s.trainSamples = r.get<int64_t>();
    s.trainLoss = r.get<double>();
    s.trainAccuracy = r.get<double>();
    s.valLoss = r.getOptional();
    s.valAccuracy = r.getOptional();
    if (format >= 2) s.quantRanges = r.getFloats();
    if (r.pos() != start + payload.size()) r.fail("trailing bytes");
    return s;
}

void checkWeights(const Model& model, std::span<const float> weights, const std::string& what) {
    int64_t values = 0, buffers = 0;
    for (const ParamInfo& p : model.params()) (p.trainable ? values : buffers) += p.shape.numel();
    // Each store holds at least one element (a placeholder when empty), and so does a snapshot.
    values = std::max<int64_t>(values, 1);
    buffers = std::max<int64_t>(buffers, 1);
    if (static_cast<int64_t>(weights.size()) != values + buffers)
        throwBadInput(what + ": holds " + std::to_string(weights.size()) + " weights but the model has " +
                      std::to_string(values + buffers) + " (" + std::to_string(values) +
                      " parameters, " + std::to_string(buffers) +
                      " buffers); the project changed since it was saved, or the blob is not this model's");
    for (const ParamInfo& p : model.params()) {
        const int64_t start = p.offset + (p.trainable ? 0 : values);
        const bool variance = p.name == "running_var";
        for (int64_t i = 0; i < p.shape.numel(); ++i) {
            const float v = weights[static_cast<std::size_t>(start + i)];
            if (std::isfinite(v) && std::fabs(v) <= 1e30f && !(variance && v < 0)) continue;
            char text[32];
            std::snprintf(text, sizeof text, "%g", double(v));
            throwBadInput(what + ": " + p.node + "." + p.name + " " + p.shape.str() + " element " +
                          std::to_string(i) + " is " + text +
                          (variance ? ", not a variance >= 0" : ", not a trained weight (finite, within +-1e30)") +
                          "; the stored model is corrupt");
        }
    }
}

}  // namespace neurite
