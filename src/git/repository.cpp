#include "git/repository.hpp"

#include <iterator>
#include <filesystem>
#include <mutex>

// libgit2 1.5 built with mbedTLS (Debian's libgit2-1.5) parses the whole system CA bundle in
// git_libgit2_init(), unconditionally: git_mbedtls_stream_global_init() calls
// git_mbedtls__set_cert_location(GIT_DEFAULT_CERT_LOCATION), which calls these two mbedTLS
// functions (src/libgit2/streams/mbedtls.c, v1.5.1). No option can stop it: options can only be
// set after init. Parsing /etc/ssl/certs/ca-certificates.crt (225 KB, base64 and X.509) cost
// some 3 ms, an eighth of a pre-commit hook's run. secretscan never opens a network connection
// (it reads local repositories only), so libgit2's calls are bound to the definitions below,
// which load no certificate: with libgit2 linked from its static archive (CMakeLists.txt), by
// the linker's --wrap (libgit2's references become __wrap_ ones); with its shared library, by the
// dynamic linker, which binds them to the executable's definitions before libmbedx509's. Were
// TLS ever used, the empty CA chain would make every certificate check fail: it fails closed,
// never trusting a server. The parameters are mbedtls_x509_crt* and a path; the mbedTLS headers
// are not included so that these declarations stand alone.
#ifdef SECRETSCAN_STATIC_LIBGIT2
#define SECRETSCAN_CA_FUNCTION(name) __wrap_##name
#else
#define SECRETSCAN_CA_FUNCTION(name) name
#endif
extern "C" {
int SECRETSCAN_CA_FUNCTION(mbedtls_x509_crt_parse_file)(void* /*chain*/, const char* /*path*/)
{
    return 0; // "0 certificates parsed, none failed"
}
int SECRETSCAN_CA_FUNCTION(mbedtls_x509_crt_parse_path)(void* /*chain*/, const char* /*path*/)
{
    return 0;
}
}

namespace secretscan::git {

void init()
{
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // Reading an object re-hashes it by default (SHA-1 with collision detection), which
        // costs more than inflating it. git itself does not re-hash on read (cat-file, log -p);
        // corruption still surfaces as an inflate or delta error.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        // The parsed-object cache (commits, trees) defaults to 256 MiB per process; a history
        // walk touches each tree about once, so a small cache costs no speed and bounds memory.
        git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(32) << 20);
        // libgit2 1.5 refuses repositories with extensions.worktreeConfig (set by
        // `git sparse-checkout` and per-worktree config). Its only effect is an extra
        // config.worktree file, which secretscan does not need to read objects or the index;
        // declaring it supported lets such repositories open. Index extensions libgit2 cannot
        // read (split or sparse index) are handled by falling back to git's plumbing.
        const char* extensions[] = {"worktreeconfig"};
        git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size(extensions));
    });
}

int check(int rc, std::string_view operation, std::string_view path, ErrorKind kind, ErrorCause cause)
{
    if (rc >= 0) return rc;
    const git_error* e = git_error_last();
    std::string msg(operation);
    if (!path.empty()) msg += " " + std::string(path);
    msg += ": ";
    msg += (e && e->message) ? e->message : "libgit2 error " + std::to_string(rc);
    throw Error(kind, msg, cause);
}

Repository open(const std::string& path)
{
    init();
    git_repository* raw = nullptr;
    const int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND) { // "." (the folder -C chose, or the current one) is named in full
        std::error_code ec;
        const std::string named = path == "." ? std::filesystem::current_path(ec).string() : path;
        throw Error(ErrorKind::usage,
                    (named.empty() ? path : named) + ": not a git repository (or any parent up to /); run this inside a repository, or name one with -C DIR",
                    ErrorCause::not_a_repository);
    }
    check(rc, "open repository", path, ErrorKind::usage, ErrorCause::unreadable_by_libgit2);
    return Repository(raw);
}

Repository try_open(const std::string& path) noexcept
{
    init();
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, path.c_str(), 0, nullptr) != 0) return nullptr;
    return Repository(raw);
}

Repository open_exact(const std::string& git_dir)
{
    init();
    git_repository* raw = nullptr;
    check(git_repository_open_ext(&raw, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr), "open repository", git_dir);
    return Repository(raw);
}

std::optional<std::string> workdir(git_repository* repo)
{
    const char* w = git_repository_workdir(repo);
    if (!w) return std::nullopt;
    return std::string(w);
}

Odb odb(git_repository* repo)
{
    git_odb* raw = nullptr;
    check(git_repository_odb(&raw, repo), "open object database of", git_repository_path(repo));
    return Odb(raw);
}

Commit lookup_commit(git_repository* repo, const git_oid& id, const std::string& what)
{
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo, &id), "read commit", what);
    return Commit(raw);
}

Tree lookup_tree(git_repository* repo, const git_oid& id, const std::string& what)
{
    git_tree* raw = nullptr;
    check(git_tree_lookup(&raw, repo, &id), "read tree", what);
    return Tree(raw);
}

Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& what)
{
    git_blob* raw = nullptr;
    check(git_blob_lookup(&raw, repo, &id), "read blob of", what);
    return Blob(raw);
}

Commit peel_commit(git_repository* repo, const std::string& spec)
{
    // A ref by name first: its object is read by peeled_commit, which says when it is missing
    // (git_revparse_single would only say "not found", and libgit2 1.5 leaks on that path).
    git_reference* ref = nullptr;
    if (git_reference_dwim(&ref, repo, spec.c_str()) == 0) {
        const Reference named(ref);
        if (const auto id = peeled_commit(named.get())) return lookup_commit(repo, *id, spec);
    }
    git_object* raw = nullptr;
    const int rc = git_revparse_single(&raw, repo, spec.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC)
        throw Error(ErrorKind::usage, spec + ": unknown revision (git log would say the same); check the range");
    check(rc, "resolve revision", spec, ErrorKind::usage);
    Object obj(raw);
    git_object* peeled = nullptr;
    check(git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT), "peel to a commit:", spec, ErrorKind::usage);
    return Commit(reinterpret_cast<git_commit*>(peeled));
}

Object try_revparse(git_repository* repo, const std::string& spec) noexcept
{
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo, spec.c_str()) != 0) return nullptr;
    return Object(raw);
}

namespace {

/// Error(runtime) for a ref whose object cannot be read: a damaged repository.
[[noreturn]] void damaged(const std::string& ref, const git_oid& id)
{
    const git_error* e = git_error_last();
    throw Error(ErrorKind::runtime, "ref " + ref + " points to " + to_hex(id) + ", which cannot be read (" +
                                        std::string(e && e->message ? e->message : "libgit2 error") +
                                        "): the repository is damaged; git fsck says what is missing");
}

} // namespace

std::optional<git_oid> peeled_commit(git_reference* ref)
{
    const std::string name = git_reference_name(ref);
    git_reference* resolved_raw = nullptr;
    const int resolved_rc = git_reference_resolve(&resolved_raw, ref);
    if (resolved_rc == GIT_ENOTFOUND) return std::nullopt; // a symbolic ref to a branch that is gone: nothing to read
    check(resolved_rc, "resolve ref", name);
    const Reference resolved(resolved_raw);
    // Read the object itself: a missing or corrupt one must stop the scan (git: "fatal: bad
    // object"), not leave the ref out as if it held nothing.
    const git_oid target = *git_reference_target(resolved.get());
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, git_reference_owner(ref), &target, GIT_OBJECT_ANY) != 0) damaged(name, target);
    const Object obj(raw);
    git_object* peeled = nullptr;
    const int rc = git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT);
    if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC) return std::nullopt; // a tag or ref to a tree or blob
    if (rc != 0) damaged(name, target);
    const Object commit(peeled);
    return *git_object_id(commit.get());
}

std::vector<git_oid> merge_heads(git_repository* repo)
{
    std::vector<git_oid> heads;
    auto collect = [](const git_oid* id, void* payload) -> int {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
    };
    const int rc = git_repository_mergehead_foreach(repo, collect, &heads);
    if (rc != GIT_ENOTFOUND) check(rc, "read MERGE_HEAD");
    return heads;
}

std::string to_hex(const git_oid& oid)
{
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

Tree head_tree(git_repository* repo)
{
    // Unborn (a new repository): no tree. HEAD naming a commit that cannot be read is damage,
    // not an empty tree: every staged file would count as new, and HEAD's own state unknown.
    // Read through the ref, not git_revparse_single: libgit2 1.5 leaks when that fails.
    if (git_repository_head_unborn(repo) == 1) return nullptr;
    git_reference* raw = nullptr;
    const int rc = git_repository_head(&raw, repo);
    if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return nullptr;
    check(rc, "read HEAD");
    const Reference head(raw);
    const git_oid* target = git_reference_target(head.get());
    git_object* peeled = nullptr;
    const int found = target ? git_object_lookup(&peeled, repo, target, GIT_OBJECT_ANY) : git_reference_peel(&peeled, head.get(), GIT_OBJECT_ANY);
    if (found != 0) {
        const git_error* e = git_error_last();
        throw Error(ErrorKind::runtime, "HEAD cannot be read (" + std::string(e && e->message ? e->message : "not found") +
                                            "): the repository is damaged; git fsck says what is missing");
    }
    const Object object(peeled);
    git_object* tree = nullptr;
    check(git_object_peel(&tree, peeled, GIT_OBJECT_TREE), "read HEAD's tree");
    return Tree(reinterpret_cast<git_tree*>(tree));
}

Blob blob_at(git_repository* repo, git_tree* tree, const std::string& path)
{
    if (!tree) return nullptr;
    git_tree_entry* raw = nullptr;
    const int rc = git_tree_entry_bypath(&raw, tree, path.c_str());
    if (rc == GIT_ENOTFOUND) return nullptr;
    check(rc, "look up", path);
    TreeEntry entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return nullptr;
    return lookup_blob(repo, *git_tree_entry_id(entry.get()), path);
}

std::string_view blob_bytes(git_blob* blob) noexcept
{
    if (!blob) return {};
    return {static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::size_t>(git_blob_rawsize(blob))};
}

} // namespace secretscan::git
