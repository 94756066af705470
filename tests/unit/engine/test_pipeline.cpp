// The pipeline end to end, without git or files: sources, the scanner's stages, run_scan and
// sinks.

#include <secretscan/engine/pipeline.hpp>
#include <secretscan/error.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>

using namespace secretscan;

namespace {

Rule token_rule()
{
    Rule r;
    r.id = "tok";
    r.regex = R"(\b(tok_[a-z0-9]{6})\b)";
    r.keywords = {"tok_"};
    return r;
}

/// Texts as items, one chunk each; optionally a whole-scan source that reverses its findings.
class TextSource : public Source {
public:
    explicit TextSource(std::vector<std::string> texts, bool whole = false) : m_texts(std::move(texts)), m_whole(whole) {}
    std::string unit() const override { return "texts"; }
    std::size_t list(ScanSummary& s, unsigned) override
    {
        s.warnings.push_back("listed");
        return m_texts.size();
    }
    void read(std::size_t i, unsigned, ChunkReader& out) override
    {
        ++reads;
        out.chunk(Chunk{m_texts[i], Provenance{SourceKind::file, "t" + std::to_string(i), ""}});
    }
    bool needs_whole_scan() const override { return m_whole; }
    void attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary&, const std::function<bool(Finding)>& report) override
    {
        for (auto it = by_item.rbegin(); it != by_item.rend(); ++it)
            for (Finding& f : *it)
                if (!report(std::move(f))) return;
    }
    std::atomic<int> reads{0};

private:
    std::vector<std::string> m_texts;
    bool m_whole;
};

/// Keeps what it receives; stops after `limit` findings.
class Recorder : public FindingSink {
public:
    explicit Recorder(std::size_t limit = SIZE_MAX) : m_limit(limit) {}
    void begin(const std::string& unit) override { events.push_back("begin " + unit); }
    bool finding(const Finding& f) override
    {
        events.push_back(f.path + ":" + f.secret);
        return events.size() - 1 < m_limit;
    }
    void finish(const ScanSummary& s) override { events.push_back("finish " + std::to_string(s.findings)); }
    std::vector<std::string> events;

private:
    std::size_t m_limit;
};

/// A test decoder: "hex:" followed by hex digits decodes to those bytes.
class HexDecoder : public Decoder {
public:
    std::string_view name() const noexcept override { return "hex"; }
    void decode(std::string_view text, std::vector<DecodedSpan>& out) const override
    {
        for (std::size_t at = text.find("hex:"); at != std::string_view::npos; at = text.find("hex:", at + 1)) {
            std::size_t end = at + 4;
            std::string bytes;
            for (; end + 1 < text.size() && std::isxdigit(static_cast<unsigned char>(text[end])) &&
                   std::isxdigit(static_cast<unsigned char>(text[end + 1]));
                 end += 2)
                bytes += static_cast<char>(std::stoi(std::string(text.substr(end, 2)), nullptr, 16));
            out.push_back({at, end, bytes, {}});
        }
    }
};

std::string hex_of(const std::string& s)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) out += {digits[c >> 4], digits[c & 15]};
    return out;
}

} // namespace

TEST_CASE("run_scan: findings stream in item order whatever the threads", "[pipeline]")
{
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i) texts.push_back(i % 3 ? "nothing" : "a tok_abc" + std::to_string(100 + i) + " b");
    const Matcher m({token_rule()});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {});
    TextSource source(texts);
    Recorder sink;
    ScanOptions o;
    o.threads = 4;
    const ScanSummary s = run_scan(source, scanner, o, sink);
    REQUIRE(sink.events.size() == 16);
    CHECK(sink.events.front() == "begin texts");
    CHECK(sink.events[1] == "t0:tok_abc100");
    CHECK(sink.events[2] == "t3:tok_abc103");
    CHECK(sink.events[14] == "t39:tok_abc139");
    CHECK(sink.events.back() == "finish 14");
    CHECK(s.findings == 14);
    CHECK(s.stats.items == 40);
    CHECK(s.stats.unit == "texts");
    CHECK(s.warnings == std::vector<std::string>{"listed"});
}

TEST_CASE("run_scan: a sink that says stop ends the scan, and is still finished", "[pipeline]")
{
    std::vector<std::string> texts(1000, "x tok_abc123 y");
    const Matcher m({token_rule()});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {});
    TextSource source(texts);
    Recorder sink(2);
    ScanOptions o;
    o.threads = 1;
    const ScanSummary s = run_scan(source, scanner, o, sink);
    CHECK(sink.events == std::vector<std::string>{"begin texts", "t0:tok_abc123", "t1:tok_abc123", "finish 2"});
    CHECK(s.stopped);
    CHECK(source.reads < 1000);
}

TEST_CASE("run_scan: too large and binary chunks are skipped and listed, unlimited ones are not", "[pipeline]")
{
    const Matcher m({token_rule()});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {});
    ScanOptions o;
    o.max_file_size = 20;
    ScanStats stats;
    std::vector<Finding> found;
    ChunkReader reader(scanner, o, stats, found);
    reader.chunk(Chunk{"tok_abc123 and some more text", Provenance{SourceKind::file, "big", ""}});
    reader.chunk(Chunk{std::string_view("tok_abc123\0\0\0\0", 14), Provenance{SourceKind::file, "bin", ""}});
    Chunk message{"padding padding tok_abc123", Provenance{SourceKind::commit_message, "", "commit x message"}};
    message.unlimited = true;
    reader.chunk(message, false);
    REQUIRE(stats.skipped.size() == 2);
    CHECK(stats.skipped[0].name == "big");
    CHECK(stats.skipped[0].reason == "larger than --max-file-size (29 bytes; the limit is 20)");
    CHECK(stats.skipped[1].name == "bin");
    CHECK(stats.skipped[1].reason == "binary (NUL byte in the first 8000 bytes)");
    REQUIRE(found.size() == 1);
    CHECK(found[0].source_name == "commit x message");
    CHECK(stats.items == 0); // not counted, as asked
}

TEST_CASE("run_scan: finding steps apply before the sink, after a whole-scan source attributes", "[pipeline]")
{
    const Matcher m({token_rule()});
    FindingPolicy p;
    p.secret_regexes = {"abc222"};
    const FilterChain chain(m.rules(), p);
    const Scanner scanner(m, chain, {});
    TextSource source({"tok_abc111", "tok_abc222", "tok_abc333"}, true);
    Recorder sink;
    const ScanSummary s = run_scan(source, scanner, ScanOptions{}, sink);
    CHECK(sink.events == std::vector<std::string>{"begin texts", "t2:tok_abc333", "t0:tok_abc111", "finish 2"});
    CHECK(s.dropped[static_cast<std::size_t>(FilterStep::allowlist)] == 1);
}

TEST_CASE("scanner: one finding per secret, the preferred rule's, and the drops traced", "[pipeline]")
{
    Rule generic = token_rule();
    generic.id = "generic";
    generic.kind = RuleKind::generic;
    generic.regex = R"(key = ([a-z_0-9]+))";
    generic.keywords = {"key"};
    Rule token = token_rule();
    token.regex = R"(\b(k3v[a-z0-9]{5})\b)";
    token.keywords = {"k3v"};
    const Matcher m({generic, token});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {});
    std::vector<TraceEntry> trace;
    const auto found = scanner.scan_text("key = k3v9q2x7\n", Provenance{}, nullptr, &trace);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule_id == "tok");
    CHECK(found[0].line == 1);
    CHECK(found[0].column == 7);
    REQUIRE(trace.size() == 1);
    CHECK(trace[0].rule == 0);
    CHECK(trace[0].drop.reason == "rule tok reports the same secret");
    CHECK(scanner.explain_miss(0, "key = k3v9q2x7") == "rule tok reports the same secret");
    CHECK(scanner.explain_miss(0, "key = value_name") == "the value test: it reads as words or an identifier");
    CHECK(scanner.explain_miss(1, "key = k3v9q2x7") == std::nullopt);
    CHECK(scanner.explain_miss(1, "k3v9") == "the regex does not match");
    CHECK(scanner.explain_miss(0, "KEY = abc") == "the regex does not match");
}

TEST_CASE("scanner: a generic rule defers to the provider whose prefix or name it sees", "[pipeline]")
{
    Rule generic = token_rule();
    generic.id = "generic";
    generic.kind = RuleKind::generic;
    generic.detector = "assignment";
    generic.regex.clear();
    generic.keywords = {"token"};
    Rule provider = token_rule();
    provider.id = "acme-token";
    provider.tags = {"acme"};
    const Matcher m({generic, provider});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {});
    CHECK(scanner.explain_miss(0, "token = tok_k3v9q2x7w") ==
          "it starts with tok_, the prefix of rule acme-token, which judges values of this shape");
    CHECK(scanner.explain_miss(0, "ACME_TOKEN = Zq8rT3xK1mP9w") ==
          "its key names acme, whose rule acme-token knows that provider's format and does not report this value");
    CHECK(scanner.explain_miss(0, "OTHER_TOKEN = Zq8rT3xK1mP9w") == std::nullopt);
}

TEST_CASE("scanner: a decoder's spans are scanned and their findings located at the encoded text", "[pipeline]")
{
    const Matcher m({token_rule()});
    const FilterChain chain(m.rules());
    const Scanner scanner(m, chain, {std::make_shared<HexDecoder>()});
    const std::string text = "first line\nblob = hex:" + hex_of("x=tok_abc123") + " # end\n";
    const auto found = scanner.scan_text(text, Provenance{SourceKind::file, "f", ""});
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret == "tok_abc123");
    CHECK(found[0].decoder == "hex");
    CHECK(found[0].line == 2);
    CHECK(found[0].column == 8);
    CHECK(found[0].line_text == "blob = hex:" + hex_of("x=tok_abc123") + " # end");
    // Decoded twice (hex inside hex), then no deeper than max_decode_depth.
    const auto nested = scanner.scan_text("v = hex:" + hex_of("hex:" + hex_of("tok_abc123")), Provenance{});
    REQUIRE(nested.size() == 1);
    CHECK(nested[0].decoder == "hex/hex");
    const auto too_deep = scanner.scan_text("hex:" + hex_of("hex:" + hex_of("hex:" + hex_of("tok_abc123"))), Provenance{});
    CHECK(too_deep.empty());
    // A span's lines take the line steps: an added-lines scan ignores it unless it is added.
    const std::vector<std::size_t> added{1};
    CHECK(scanner.scan_text(text, Provenance{}, &added).empty());
}

TEST_CASE("pipeline: a Git LFS pointer is recognised only when it is exactly one", "[pipeline]")
{
    const std::string oid = "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n";
    const std::string v1 = "version https://git-lfs.github.com/spec/v1\n";
    CHECK(is_lfs_pointer(v1 + oid + "size 12345\n"));
    CHECK(is_lfs_pointer("version https://hawser.github.com/spec/v1\n" + oid + "size 0\n"));
    CHECK(is_lfs_pointer(v1 + "ext-0-foo sha256:" + std::string(64, 'a') + "\n" + oid + "size 1\n"));
    // Anything else is scanned: another line (where a secret could sit), CRLF, order, size.
    CHECK_FALSE(is_lfs_pointer(v1 + oid + "size 12345\npassword hunter2\n"));
    CHECK_FALSE(is_lfs_pointer(v1 + "token ghp_x\n" + oid + "size 1\n"));
    CHECK_FALSE(is_lfs_pointer("version https://git-lfs.github.com/spec/v1\r\n" + oid + "size 1\r\n"));
    CHECK_FALSE(is_lfs_pointer(v1 + "size 1\n" + oid));
    CHECK_FALSE(is_lfs_pointer(v1 + oid));
    CHECK_FALSE(is_lfs_pointer(v1 + oid + "size 12a\n"));
    CHECK_FALSE(is_lfs_pointer(v1 + oid + "size 1\n" + std::string(1024, ' ') + "\n"));
    CHECK_FALSE(is_lfs_pointer(v1 + "ext-0-foo sha256:secret\n" + oid + "size 1\n"));
}
