// The one content hash (library identity and feature-cache key), checked against libxxhash (an independent
// implementation, called from Python through ctypes) and for what the cache key must do: follow every edit.
#include "core/util/ContentHash.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

std::vector<std::byte> randomBytes(std::size_t n, unsigned seed) {
    std::vector<std::byte> bytes(n);
    std::mt19937 rng(seed);
    for (auto& b : bytes) b = std::byte(rng() & 0xff);
    return bytes;
}

void writeBytes(const fs::path& file, const std::vector<std::byte>& bytes) {
    std::ofstream f(file, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace

TEST(ContentHash, AgreesWithXxHash64WhereTheTailHasNoFourByteWord) {
    // Published XXH64 value of the empty input (seed 0).
    EXPECT_EQ(contentHash({}), 0xef46db3751d8e999ULL);
    if (!test::haveProgram("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
    const auto dir = test::freshDir("hash-xxh64");
    // The function the cache has always keyed by mixes a 4..7-byte tail byte by byte where XXH64 takes a 4-byte word
    // first; it must never change (it names every cache entry), so it is compared where the two are defined alike.
    const std::vector<std::size_t> lengths = {1, 3, 8, 19, 32, 33, 64, 67, 1000, 4096 + 2, (1 << 20) + 9};
    std::string expected;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        const auto bytes = randomBytes(lengths[i], unsigned(i + 1));
        writeBytes(dir / (std::to_string(i) + ".bin"), bytes);
        expected += hashHex(contentHash(bytes)) + "\n";
    }
    const std::string script =
        "import ctypes,sys\n"
        "try:\n"
        "    l=ctypes.CDLL('libxxhash.so.0')\n"
        "except OSError:\n"
        "    print('nolib'); sys.exit(0)\n"
        "l.XXH64.restype=ctypes.c_uint64\n"
        "l.XXH64.argtypes=[ctypes.c_char_p,ctypes.c_size_t,ctypes.c_uint64]\n"
        "for i in range(" + std::to_string(lengths.size()) + "):\n"
        "    d=open(sys.argv[1]+'/'+str(i)+'.bin','rb').read()\n"
        "    print('%016x' % l.XXH64(d,len(d),0))\n";
    std::ofstream(dir / "ref.py") << script;
    int status = -1;
    const auto out = test::capture("/usr/bin/python3 " + (dir / "ref.py").string() + " " + dir.string(), &status);
    ASSERT_EQ(status, 0) << out;
    if (out == "nolib\n") GTEST_SKIP() << "libxxhash.so.0 is not installed";
    EXPECT_EQ(out, expected);
}

TEST(ContentHash, StreamingInAnyChunksEqualsOneShotAndTheFile) {
    const auto dir = test::freshDir("hash-stream");
    auto bytes = randomBytes(3 * (1 << 20) + 77, 3);
    writeBytes(dir / "a.bin", bytes);
    const auto whole = contentHash(bytes);
    EXPECT_EQ(hashFile(dir / "a.bin"), whole);
    for (std::size_t chunk : {1u, 7u, 31u, 32u, 33u, 4096u, 100003u}) {
        ContentHasher h;
        for (std::size_t at = 0; at < bytes.size(); at += chunk)
            h.update(std::span(bytes).subspan(at, std::min(chunk, bytes.size() - at)));
        EXPECT_EQ(h.finish(), whole) << "chunks of " << chunk;
    }
    bytes[12345] ^= std::byte{1};
    EXPECT_NE(contentHash(bytes), whole);
    // Different lengths of the same prefix, and all short inputs, hash differently.
    std::set<std::uint64_t> seen;
    for (std::size_t n = 0; n < 100; ++n) seen.insert(contentHash(std::span(bytes.data(), n)));
    EXPECT_EQ(seen.size(), 100u);
}

TEST(ContentHash, AnEditThatKeepsTheSizeChangesTheHashWhereverItIs) {
    // A WAV edited in place keeps its size (the size is the duration). The library's earlier hash read only the size
    // and 1 MiB at the start, middle and end of files over 16 MiB, so it missed this edit at a quarter of the file.
    const auto dir = test::freshDir("hash-edit");
    auto bytes = randomBytes(20u << 20, 5);
    writeBytes(dir / "take.wav", bytes);
    const auto before = hashFile(dir / "take.wav");
    bytes[bytes.size() / 4] ^= std::byte{0x10};
    writeBytes(dir / "take.wav", bytes);
    EXPECT_EQ(fs::file_size(dir / "take.wav"), 20u << 20);
    EXPECT_NE(hashFile(dir / "take.wav"), before);
}

TEST(ContentHash, HexRoundTripsAndRejectsOtherForms) {
    EXPECT_EQ(hashHex(0xabcULL), "0000000000000abc");
    for (std::uint64_t v : {0ULL, 1ULL, 0xabcULL, 0xffffffffffffffffULL, 0x8000000000000001ULL})
        EXPECT_EQ(parseHashHex(hashHex(v)), v);
    EXPECT_FALSE(parseHashHex(""));
    EXPECT_FALSE(parseHashHex("abc"));
    EXPECT_FALSE(parseHashHex("6119d10f020fe1989b7e8d600b11b1fa"));  // the 32-digit sampled hash of older libraries
    EXPECT_FALSE(parseHashHex("000000000000abcg"));
    EXPECT_FALSE(parseHashHex("-00000000000abcd"));
}

TEST(ContentHash, UnreadableFileIsAnErrorNamingIt) {
    const auto missing = test::freshDir("hash-missing") / "missing.bin";
    try {
        hashFile(missing);
        FAIL() << "hashed a missing file";
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), missing.string());
    }
}
