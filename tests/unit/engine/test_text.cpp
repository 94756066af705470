#include <secretscan/engine/text.hpp>

#include <catch2/catch.hpp>

using namespace secretscan;

TEST_CASE("encodings are detected as git and editors would", "[text]")
{
    using namespace std::string_literals;
    CHECK(detect_encoding("plain ascii\n") == Encoding::utf8);
    CHECK(detect_encoding("\xEF\xBB\xBFwith bom") == Encoding::utf8_bom);
    CHECK(detect_encoding("\xFF\xFEh\0i\0"s) == Encoding::utf16le);
    CHECK(detect_encoding("\xFE\xFF\0h\0i"s) == Encoding::utf16be);
    CHECK(detect_encoding("k\0e\0y\0=\0v\0"s) == Encoding::utf16le);
    CHECK(detect_encoding("\0k\0e\0y\0=\0v"s) == Encoding::utf16be);
    // Issue 14, item 5: FF FE or FE FF before UTF-8 text is not a byte order mark; the content
    // decides. Japanese in UTF-16 (no NUL, not UTF-8) stays UTF-16.
    CHECK(detect_encoding("\xFF\xFEpassword=hunter2\n"s) == Encoding::utf8);
    CHECK(detect_encoding("\xFE\xFFk=v\n"s) == Encoding::utf8);
    CHECK(detect_encoding("\xFF\xFE\xE5\x65\x2C\x67\x9E\x8A"s) == Encoding::utf16le); // 日本語
    CHECK(detect_encoding("\xFE\xFF\x65\xE5\x67\x2C\x8A\x9E"s) == Encoding::utf16be);
    // A stray trailing NUL in text stays text; many NULs and control bytes are binary.
    CHECK(detect_encoding("line one\nline two\n}\0"s) == Encoding::utf8);
    CHECK(detect_encoding("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0"s) == Encoding::binary);
    // A NUL after the 8000-byte probe does not make a file binary (git's rule).
    CHECK(detect_encoding(std::string(8000, 'x') + "\0\0\0\0"s) == Encoding::utf8);
}

TEST_CASE("UTF-16 is transcoded to UTF-8, surrogate pairs included", "[text]")
{
    using namespace std::string_literals;
    CHECK(decode("\xFF\xFEk\0=\0\xE9\0"s).text == "k=\xC3\xA9");
    CHECK(decode("\xFE\xFF\0k\0="s).text == "k=");
    CHECK(decode("\xFF\xFE\x3D\xD8\x00\xDE"s).text == "\xF0\x9F\x98\x80"); // U+1F600
    CHECK(decode("\xFF\xFE\x00\xD8x\0"s).text == "\xEF\xBF\xBDx");           // lone surrogate
    CHECK(decode("\xEF\xBB\xBF" "abc").text == "abc");
    CHECK(decode("a\0\0\0\0\0\x01\x02\x03\x04\x05\x06"s).text.empty());
}

TEST_CASE("line index maps offsets to 1-based lines and code-point columns", "[text]")
{
    const std::string text = "first\r\ncaf\xC3\xA9 key\nlast";
    LineIndex idx(text);
    CHECK(idx.line_count() == 3);
    CHECK(idx.line_of(0) == 1);
    CHECK(idx.line_of(7) == 2);
    CHECK(idx.column_of(7) == 1);
    CHECK(idx.column_of(13) == 6); // "café " is 5 code points, 6 bytes
    CHECK(idx.line_text(1) == "first"); // no \r
    CHECK(idx.line_text(2) == "caf\xC3\xA9 key");
    CHECK(idx.line_text(3) == "last");
    CHECK(idx.line_text(4).empty());
    CHECK(LineIndex("a\n").line_count() == 1);
}
