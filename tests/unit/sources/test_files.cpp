// Sources without git: files and a commit message file, through run_scan.

#include <secretscan/error.hpp>
#include <secretscan/sources/files.hpp>
#include <secretscan/sources/message.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

using namespace secretscan;

namespace {

struct Engine {
    Engine() : matcher({rule()}), chain(matcher.rules()), scanner(matcher, chain, {}) {}
    static Rule rule()
    {
        Rule r;
        r.id = "tok";
        r.regex = R"(\b(tok_[a-z0-9]{6})\b)";
        r.keywords = {"tok_"};
        return r;
    }
    std::vector<std::string> run(Source& source)
    {
        CollectingSink sink;
        run_scan(source, scanner, ScanOptions{}, sink);
        std::vector<std::string> out;
        for (const Finding& f : sink.findings()) out.push_back(display_position(f) + ":" + f.secret);
        return out;
    }
    Matcher matcher;
    FilterChain chain;
    Scanner scanner;
};

} // namespace

TEST_CASE("files source: named files first as given, then each folder's files in path order", "[sources]")
{
    testing::TempDir d;
    testing::write_file(d / "dir/b.txt", "tok_b5r1t8\n");
    testing::write_file(d / "dir/a/z.txt", "x\ntok_z7m3x9\n");
    testing::write_file(d / "named.txt", "tok_n4k8q2\n");
    Engine e;
    FilesSource source({d / "named.txt", d / "dir"}, false);
    CHECK(e.run(source) == std::vector<std::string>{d / "named.txt:1:1:tok_n4k8q2", d / "dir/a/z.txt:2:1:tok_z7m3x9",
                                                    d / "dir/b.txt:1:1:tok_b5r1t8"});
    FilesSource missing({d / "nope"}, false);
    CHECK_THROWS_WITH(e.run(missing), d / "nope" + ": no such file or directory");
}

TEST_CASE("message source: everything down to git's scissors line, located by the file's name", "[sources]")
{
    testing::TempDir d;
    const std::string scissors = "# ------------------------ >8 ------------------------\n";
    testing::write_file(d / "MSG", "subject tok_a9w2e6\n# comment tok_b5r1t8\n" + scissors +
                                       "# Do not modify or remove the line above.\n# Everything below it will be ignored.\n"
                                       "#\n# On branch main\n# tok_c3v7y1\n");
    Engine e;
    MessageFileSource source(d / "MSG");
    CHECK(e.run(source) == std::vector<std::string>{d / "MSG:1:9:tok_a9w2e6", d / "MSG:2:11:tok_b5r1t8"});
    // A scissors line git did not write (typed into -m text, which git keeps): the text below counts.
    testing::write_file(d / "TYPED", "subject\n" + scissors + "tok_c3v7y1\n");
    MessageFileSource typed(d / "TYPED");
    CHECK(e.run(typed) == std::vector<std::string>{d / "TYPED:3:1:tok_c3v7y1"});
}
