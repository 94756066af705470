#include <secretscan/error.hpp>
#include <secretscan/sources/history.hpp>

#include "cli/cli.hpp"
#include "cli/demo.hpp"

#include "git/repository.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <unistd.h>

namespace secretscan {

namespace {

// Made-up values, split so that no scanner flags this source file.
std::string aws_key_id() { return std::string("AKIA") + "Q3EGRIKZ5VXNWTDM"; }
std::string aws_secret() { return std::string("kX9vR2mLq8") + "Tz4WbN7cYp1Hs" + "D6fJe3GaUo5iQ0rVl"; }
std::string github_pat() { return std::string("ghp_") + "dTwgHUqMANTOcWqGLEXC" + "S2roCXYjPx261boV"; } // valid CRC-32 check digits
std::string slack_webhook()
{
    return std::string("https://hooks.slack") + ".com/services/T0DEMO1234/B0DEMO5678/" + "q7Lm2Xv9Rt4Kp8Nz3Wc6Yb1H";
}

class DemoRepo {
public:
    explicit DemoRepo(const std::string& dir)
    {
        git::init();
        git_repository* raw = nullptr;
        git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
        opts.flags = GIT_REPOSITORY_INIT_MKPATH;
        opts.initial_head = "main";
        git::check(git_repository_init_ext(&raw, dir.c_str(), &opts), "create demo repository", dir);
        m_repo.reset(raw);
        git_index* idx = nullptr;
        git::check(git_repository_index(&idx, raw), "open index of", dir);
        m_index.reset(idx);
    }

    void write(const std::string& path, const std::string& content)
    {
        git_index_entry entry{};
        entry.mode = GIT_FILEMODE_BLOB;
        entry.path = path.c_str();
        git::check(git_index_add_from_buffer(m_index.get(), &entry, content.data(), content.size()), "stage", path);
    }

    void remove(const std::string& path) { git::check(git_index_remove_bypath(m_index.get(), path.c_str()), "unstage", path); }

    void commit(const std::string& message)
    {
        git_oid tree_id, commit_id;
        git::check(git_index_write(m_index.get()), "write index");
        git::check(git_index_write_tree(&tree_id, m_index.get()), "write tree");
        git_tree* t = nullptr;
        git::check(git_tree_lookup(&t, m_repo.get(), &tree_id), "read tree");
        git::Tree tree(t);
        git_signature* s = nullptr;
        git::check(git_signature_new(&s, "Demo Author", "demo@example.invalid", 1767225600 + 3600 * m_count, 0), "make signature");
        git::Signature sig(s);
        const git_commit* parents[1] = {m_head.get()};
        git::check(git_commit_create(&commit_id, m_repo.get(), "HEAD", sig.get(), sig.get(), nullptr, message.c_str(), tree.get(),
                                     m_head ? 1 : 0, parents),
                   "commit", message);
        git_commit* c = nullptr;
        git::check(git_commit_lookup(&c, m_repo.get(), &commit_id), "read commit");
        m_head.reset(c);
        ++m_count;
    }

    /// Makes the work tree match HEAD, so a kept demo repository looks like any other.
    void checkout()
    {
        git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
        opts.checkout_strategy = GIT_CHECKOUT_FORCE;
        git::check(git_checkout_head(m_repo.get(), &opts), "check out demo repository");
    }

private:
    git::Repository m_repo;
    git::Index m_index;
    git::Commit m_head;
    int m_count = 0;
};

} // namespace

std::vector<DemoPlant> create_demo_repository(const std::string& dir)
{
    DemoRepo repo(dir);
    repo.write("README.md", "# demo service\n\nConfiguration lives in config/.\n");
    repo.write("config/app.env", "REGION=eu-west-1\nBUCKET=demo-assets\nAWS_ACCESS_KEY_ID=" + aws_key_id() +
                                     "\naws_secret_access_key = \"" + aws_secret() + "\"\n");
    repo.commit("Add service configuration");

    repo.write("scripts/deploy.sh", "#!/bin/sh\nset -eu\n# push the release\nexport GITHUB_TOKEN=" + github_pat() +
                                        "\ngit push origin main\n");
    repo.commit("Add deploy script");

    // Cleaning up the file does not clean history: the scan still reports both AWS values.
    repo.write("config/app.env", "REGION=eu-west-1\nBUCKET=demo-assets\n# credentials come from the environment\n");
    repo.remove("scripts/deploy.sh");
    repo.commit("Remove credentials\n\nAlerts went to " + slack_webhook() + " while testing.\n");
    repo.checkout();

    return {
        {"aws-access-key-id", "config/app.env", 3, "Add service configuration"},
        {"aws-secret-access-key", "config/app.env", 4, "Add service configuration"},
        {"github-pat", "scripts/deploy.sh", 4, "Add deploy script"},
        {"slack-webhook-url", "", 3, "Remove credentials"},
    };
}

namespace cli {

namespace {

/// The demo's folder: `dir`, which must be new or empty, or a new temporary folder.
std::string demo_folder(const std::string& dir, bool& made_temp)
{
    namespace fs = std::filesystem;
    made_temp = dir.empty();
    if (!made_temp) {
        if (fs::exists(dir) && !fs::is_empty(dir)) throw Error(ErrorKind::usage, dir + ": the demo needs a new or empty folder");
        return dir;
    }
    std::string tmpl = (fs::temp_directory_path() / "secretscan-demo.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw Error(ErrorKind::runtime, "cannot create a temporary folder: " + std::string(std::strerror(errno)));
    return tmpl;
}

/// The planted credentials a scan did not report ("rule at path:line").
std::vector<std::string> missed(const std::vector<DemoPlant>& planted, const std::vector<Finding>& found)
{
    std::vector<std::string> out;
    for (const DemoPlant& p : planted) {
        const bool hit = std::any_of(found.begin(), found.end(), [&p](const Finding& f) {
            return f.rule_id == p.rule_id && f.path == p.location && f.line == p.line;
        });
        if (!hit) out.push_back(p.rule_id + " at " + (p.location.empty() ? "a commit message" : p.location) + ":" + std::to_string(p.line));
    }
    return out;
}

} // namespace

int demo(const Args& a)
{
    bool made_temp = false;
    const std::string dir = demo_folder(a.demo_dir, made_temp);
    const std::vector<DemoPlant> planted = create_demo_repository(dir);
    std::cout << "Demo repository with made-up credentials: " << dir << "\nRunning: secretscan -C " << dir << " history\n\n";
    const Plan plan = resolve(a, "history", Context::packs_only);
    HistorySource source(dir, HistoryOptions{});
    CollectingSink found;
    const ScanSummary summary = run_scan(source, *plan.scanner, plan.scan, found);
    const std::vector<std::string> missing = missed(planted, found.findings());
    const auto report = make_report_sink(std::cout, plan.report); // the report a user would see
    for (const Finding& f : found.findings()) report->finding(f);
    report->finish(summary);
    if (made_temp && !a.keep) std::filesystem::remove_all(dir);
    else std::cout << "Kept the demo repository at " << dir << '\n';
    for (const auto& m : missing) std::cerr << "secretscan demo: MISSED planted " << m << '\n';
    if (!missing.empty()) return 1;
    std::cout << "\nDemo passed: all " << planted.size() << " planted credentials were found (" << found.findings().size()
              << " findings).\n";
    return 0;
}

} // namespace cli

} // namespace secretscan
