#include <secretscan/cache/scan_cache.hpp>
#include <secretscan/engine/scanner.hpp>

#include <mbedtls/sha256.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <filesystem>
#include <link.h>
#include <stdexcept>
#include <utility>
#include <sys/stat.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace secretscan {

namespace {

/// The file format: a file with another user_version is rebuilt.
constexpr int schema_version = 1;
/// Entries held back before a batch is written.
constexpr std::size_t batch_size = 4096;
/// A scope (rule set) unused for this long is deleted when a file is opened.
constexpr std::int64_t scope_lifetime_seconds = 30 * 24 * 3600;

/// A failed SQLite call, or a file that cannot be trusted (`damaged`).
struct DbError : std::runtime_error {
    DbError(const std::string& what, bool bad) : std::runtime_error(what), damaged(bad) {}
    bool damaged;
};

void check(sqlite3* db, int rc, const char* what)
{
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    const int primary = rc & 0xff;
    throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                  primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB);
}

/// A prepared statement, finalised when it goes out of scope.
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : m_db(db) { check(db, sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr), sql); }
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& bind(int i, std::string_view bytes)
    {
        check(m_db, sqlite3_bind_blob(m_stmt, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT), "bind");
        return *this;
    }
    Stmt& bind(int i, std::int64_t v)
    {
        check(m_db, sqlite3_bind_int64(m_stmt, i, v), "bind");
        return *this;
    }
    /// Steps once: true with a row.
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        check(m_db, rc, "SQLite");
        return rc == SQLITE_ROW;
    }
    void reset() { sqlite3_reset(m_stmt); }
    std::string_view blob(int col) const
    {
        const void* p = sqlite3_column_blob(m_stmt, col);
        return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

void exec(sqlite3* db, const char* sql)
{
    check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

std::string hex(const unsigned char* bytes, std::size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
    return out;
}

std::string sha256_hex(std::string_view text)
{
    unsigned char digest[32];
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, 0);
    return hex(digest, sizeof digest);
}

/// FNV-1a, 64 bits, over `key` then `value`: each stored value ends with it.
std::uint64_t checksum(std::string_view key, std::string_view value)
{
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const std::string_view part : {key, value})
        for (const char c : part) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
}

std::string sealed(std::string_view key, std::string value)
{
    const std::uint64_t sum = checksum(key, value);
    value.append(reinterpret_cast<const char*>(&sum), sizeof sum);
    return value;
}

/// The value without its checksum; throws DbError(damaged) when the checksum is wrong.
std::string_view unsealed(std::string_view key, std::string_view value)
{
    std::uint64_t sum = 0;
    if (value.size() >= sizeof sum) std::memcpy(&sum, value.data() + value.size() - sizeof sum, sizeof sum);
    const std::string_view body = value.substr(0, value.size() >= sizeof sum ? value.size() - sizeof sum : 0);
    if (value.size() < sizeof sum || checksum(key, body) != sum) throw DbError("an entry's checksum is wrong", true);
    return body;
}

std::int64_t now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The running program's GNU build id (a hash of its contents the linker writes), else the size
/// and modification time of /proc/self/exe.
std::string build_identity()
{
    std::string id;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* out) {
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_NOTE) continue;
                const auto* at = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
                const std::size_t align = ph.p_align == 8 ? 7 : 3;
                for (const unsigned char* end = at + ph.p_memsz; at + sizeof(ElfW(Nhdr)) <= end;) {
                    const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
                    const unsigned char* desc = at + sizeof(ElfW(Nhdr)) + ((note->n_namesz + align) & ~align);
                    if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && desc + note->n_descsz <= end)
                        *static_cast<std::string*>(out) = hex(desc, note->n_descsz);
                    at = desc + ((note->n_descsz + align) & ~align);
                }
            }
            return 1; // the first object is the program itself
        },
        &id);
    struct stat st{};
    if (id.empty() && stat("/proc/self/exe", &st) == 0)
        id = std::to_string(st.st_size) + "@" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    return id;
}

/// Deletes the cache files in `dir` that no run has opened for scope_lifetime_seconds (a
/// repository since removed, a CI job's temporary clone), with their -wal and -shm files.
void prune(const std::string& dir)
{
    std::error_code ec;
    const auto oldest = fs::file_time_type::clock::now() - std::chrono::seconds(scope_lifetime_seconds);
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with("history-") && name.ends_with(".sqlite") && it->last_write_time(ec) < oldest && !ec) stale.push_back(it->path());
    }
    for (const fs::path& p : stale)
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix, ec);
}

json rule_json(const Rule& r)
{
    return json::array({r.id, r.name, r.regex, static_cast<int>(r.boundary), r.secret_group, r.keywords, r.multiline, r.entropy, r.detector,
                        r.extract, r.paths, r.path_regex, r.validate, static_cast<int>(r.confidence), static_cast<int>(r.kind), r.family,
                        r.tags, r.references, r.remediation, r.impact, r.allowlist.stopwords, r.shared_filter, static_cast<int>(r.origin)});
}

json finding_json(const Finding& f)
{
    json spans = json::array();
    for (const LineSpan& s : f.line_spans) spans.push_back({s.begin, s.end, s.cut});
    return json::array({f.rule_id, f.rule_name, f.secret, f.line_text, f.match, static_cast<int>(f.source), f.line, f.column, f.end_line,
                        f.end_column, f.commit, f.author, f.date, f.tag, f.commit_message, f.commits, f.refs, f.occurrences,
                        f.fingerprint, f.confidence, f.validation, f.present_at_head, f.baseline_expired, f.decoder, spans});
}

Finding finding_of(const json& j)
{
    Finding f;
    std::size_t i = 0;
    for (std::string* s : {&f.rule_id, &f.rule_name, &f.secret, &f.line_text, &f.match}) j.at(i++).get_to(*s);
    f.source = static_cast<SourceKind>(j.at(i++).get<int>());
    for (std::size_t* n : {&f.line, &f.column, &f.end_line, &f.end_column}) j.at(i++).get_to(*n);
    for (std::string* s : {&f.commit, &f.author, &f.date, &f.tag, &f.commit_message}) j.at(i++).get_to(*s);
    j.at(i++).get_to(f.commits);
    j.at(i++).get_to(f.refs);
    j.at(i++).get_to(f.occurrences);
    for (std::string* s : {&f.fingerprint, &f.confidence, &f.validation}) j.at(i++).get_to(*s);
    j.at(i++).get_to(f.present_at_head);
    j.at(i++).get_to(f.baseline_expired);
    j.at(i++).get_to(f.decoder);
    for (const json& s : j.at(i++)) f.line_spans.push_back({s.at(0).get<std::size_t>(), s.at(1).get<std::size_t>(), s.at(2).get<bool>()});
    return f;
}

/// A drop line as stored: without the item's name when it starts with it ("\1" marks that).
std::string strip_name(const std::string& line, const std::string& name)
{
    return line.compare(0, name.size() + 1, name + ":") == 0 ? "\1" + line.substr(name.size() + 1) : line;
}

std::string encode(const CachedScan& s, const std::string& name)
{
    json skipped = json::array(), drops = json::array(), findings = json::array(), dropped = json::array();
    for (const Skipped& k : s.skipped) skipped.push_back(k.reason);
    for (const std::string& d : s.drops) drops.push_back(strip_name(d, name));
    for (std::size_t k = 0; k < s.dropped.size(); ++k)
        if (s.dropped[k]) dropped.push_back({k, s.dropped[k]});
    for (const Finding& f : s.findings) findings.push_back(finding_json(f));
    const std::vector<std::uint8_t> bytes = json::to_cbor(json::array({s.items, s.bytes, skipped, drops, dropped, findings}));
    return std::string(bytes.begin(), bytes.end());
}

void decode(std::string_view bytes, const std::string& path, const std::string& name, CachedScan& s)
{
    const json j = json::from_cbor(bytes.begin(), bytes.end());
    j.at(0).get_to(s.items);
    j.at(1).get_to(s.bytes);
    for (const json& reason : j.at(2)) s.skipped.push_back({name, reason.get<std::string>(), false});
    for (const json& d : j.at(3)) {
        const std::string line = d.get<std::string>();
        s.drops.push_back(line.starts_with('\1') ? name + ":" + line.substr(1) : line);
    }
    for (const json& k : j.at(4)) s.dropped.at(k.at(0).get<std::size_t>()) = k.at(1).get<std::uint64_t>();
    for (const json& f : j.at(5)) {
        s.findings.push_back(finding_of(f));
        s.findings.back().path = path;
        s.findings.back().source_name = name;
    }
}

} // namespace

std::string default_cache_dir()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/secretscan";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/secretscan";
    return "";
}

std::string scan_fingerprint(const std::vector<Rule>& rules, const std::vector<Rule>* redact_only, const std::string& policy,
                             std::uint64_t max_file_size)
{
    json j = {{"version", SECRETSCAN_VERSION}, {"build", build_identity()}, {"policy", policy}, {"max_file_size", max_file_size}};
    for (const auto& d : standard_decoders()) j["decoders"].push_back(std::string(d->name()));
    for (const Rule& r : rules) j["rules"].push_back(rule_json(r));
    if (redact_only)
        for (const Rule& r : *redact_only) j["redact_only"].push_back(rule_json(r));
    return sha256_hex(j.dump());
}

ScanCache::ScanCache(std::string dir, const std::string& scope) : m_dir(std::move(dir)), m_scope(scope) {}

void ScanCache::warn(std::string what) const
{
    std::lock_guard lock(m_warnings_mutex);
    m_warnings.push_back(std::move(what));
}

std::vector<std::string> ScanCache::take_warnings()
{
    ready();
    std::lock_guard lock(m_warnings_mutex);
    return std::exchange(m_warnings, {});
}

ScanCache::~ScanCache()
{
    flush();
    close();
}

void ScanCache::close() noexcept
{
    if (m_db) sqlite3_close_v2(m_db);
    m_db = nullptr;
    m_scans.clear();
    m_commits.clear();
}

void ScanCache::Entries::add(std::string_view key, std::string_view value)
{
    rows.push_back({bytes.size(), static_cast<std::uint32_t>(key.size()), static_cast<std::uint32_t>(value.size())});
    bytes.append(key).append(value);
}

void ScanCache::Entries::sort()
{
    const auto before = [this](const Row& a, const Row& b) {
        const std::string_view all(bytes);
        return all.substr(a.at, a.key_size) < all.substr(b.at, b.key_size);
    };
    if (!std::is_sorted(rows.begin(), rows.end(), before)) std::sort(rows.begin(), rows.end(), before);
}

bool ScanCache::Entries::find(std::string_view key, std::string_view& value) const
{
    const std::string_view all(bytes);
    const auto it = std::lower_bound(rows.begin(), rows.end(), key, [&](const Row& r, std::string_view k) { return all.substr(r.at, r.key_size) < k; });
    if (it == rows.end() || all.substr(it->at, it->key_size) != key) return false;
    value = all.substr(it->at + it->key_size, it->value_size);
    return true;
}

void ScanCache::Entries::clear()
{
    bytes.clear();
    rows.clear();
}

void ScanCache::attach(const std::string& git_dir)
{
    if (!m_git_dir.empty()) return;
    m_git_dir = git_dir;
    std::error_code ec;
    if (fs::exists(m_dir, ec) && !fs::is_directory(m_dir, ec)) {
        warn("the cache folder " + m_dir + " is not a folder: scanning without the cache");
        return;
    }
    if (fs::create_directories(m_dir, ec)) fs::permissions(m_dir, fs::perms::owner_all, ec); // findings hold secrets
    if (ec || !fs::is_directory(m_dir, ec)) {
        warn("cannot create the cache folder " + m_dir + " (" + (ec ? ec.message() : "not a folder") + "): scanning without the cache");
        return;
    }
    const std::string canonical = fs::weakly_canonical(git_dir, ec).string();
    m_file = (fs::path(m_dir) / ("history-" + sha256_hex(canonical.empty() ? git_dir : canonical).substr(0, 16) + ".sqlite")).string();
    m_loader = std::thread([this] { open_and_load(); });
}

void ScanCache::ready() const
{
    std::call_once(m_loaded, [this] {
        if (m_loader.joinable()) m_loader.join();
        for (std::string& w : m_load_warnings) warn(std::move(w));
    });
}

bool ScanCache::active() const
{
    ready();
    return m_db != nullptr;
}

void ScanCache::open_and_load()
{
    std::error_code ec;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            open_file(m_file);
            load();
            fs::last_write_time(m_file, fs::file_time_type::clock::now(), ec); // in use: not pruned
            prune(m_dir);
            return;
        } catch (const std::exception& e) {
            const auto* db = dynamic_cast<const DbError*>(&e);
            close();
            if ((db && !db->damaged) || attempt == 1) {
                m_load_warnings.push_back("cannot use the cache " + m_file + " (" + e.what() + "): scanning without the cache");
                return;
            }
            m_load_warnings.push_back("the cache " + m_file + " is damaged (" + e.what() + "): deleted, built anew");
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(m_file + suffix, ec);
        }
    }
}

void ScanCache::open_file(const std::string& path)
{
    // The cache holds the secrets it found: its owner's alone, whatever the folder's mode (a CI
    // cache folder, --cache /tmp/x). SQLite gives its -wal and -shm files the same mode.
    if (const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) {
        ::fchmod(fd, 0600);
        ::close(fd);
    }
    check(nullptr, sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr), "open");
    sqlite3_busy_timeout(m_db, 10000);
    exec(m_db, "PRAGMA journal_mode=WAL");
    exec(m_db, "PRAGMA synchronous=NORMAL");
    exec(m_db, "BEGIN IMMEDIATE");
    Stmt version(m_db, "PRAGMA user_version");
    const std::int64_t found = version.step() ? version.integer(0) : 0;
    if (found == 0) {
        exec(m_db, "CREATE TABLE IF NOT EXISTS scopes(id INTEGER PRIMARY KEY, fingerprint BLOB UNIQUE NOT NULL, used INTEGER NOT NULL);"
                   "CREATE TABLE IF NOT EXISTS scans(scope INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
                   " PRIMARY KEY(scope, key)) WITHOUT ROWID;"
                   "CREATE TABLE IF NOT EXISTS commits(key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;");
        exec(m_db, ("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
    } else if (found != schema_version) {
        throw DbError("format " + std::to_string(found) + ", this version writes " + std::to_string(schema_version), true);
    }
    const std::int64_t now = now_seconds();
    Stmt(m_db, "INSERT OR IGNORE INTO scopes(fingerprint, used) VALUES(?, ?)").bind(1, m_scope).bind(2, now).step();
    Stmt(m_db, "UPDATE scopes SET used = ? WHERE fingerprint = ?").bind(1, now).bind(2, m_scope).step();
    Stmt id(m_db, "SELECT id FROM scopes WHERE fingerprint = ?");
    id.bind(1, m_scope);
    if (!id.step()) throw DbError("its scope table lost a row", true);
    m_scope_id = id.integer(0);
    Stmt(m_db, "DELETE FROM scans WHERE scope IN (SELECT id FROM scopes WHERE used < ?)").bind(1, now - scope_lifetime_seconds).step();
    Stmt(m_db, "DELETE FROM scopes WHERE used < ?").bind(1, now - scope_lifetime_seconds).step();
    exec(m_db, "COMMIT");
}

void ScanCache::load()
{
    Stmt quick(m_db, "PRAGMA quick_check");
    if (!quick.step() || quick.blob(0) != "ok") {
        std::string problems(quick.blob(0)); // SQLite's lines, one message: "; " between them
        for (std::size_t at; (at = problems.find('\n')) != std::string::npos;) problems.replace(at, 1, "; ");
        throw DbError("quick_check: " + problems, true);
    }
    Stmt scans(m_db, "SELECT key, value FROM scans WHERE scope = ?");
    scans.bind(1, m_scope_id);
    while (scans.step()) m_scans.add(scans.blob(0), unsealed(scans.blob(0), scans.blob(1)));
    Stmt commits(m_db, "SELECT key, value FROM commits");
    while (commits.step()) m_commits.add(commits.blob(0), unsealed(commits.blob(0), commits.blob(1)));
    m_scans.sort(); // SQLite reads a WITHOUT ROWID table in key order: sorted already
    m_commits.sort();
}

bool ScanCache::find(std::string_view key, const std::string& path, const std::string& name, CachedScan& out) const
{
    ready();
    std::string_view value;
    if (!m_scans.find(key, value)) return false;
    try {
        decode(value, path, name, out);
    } catch (const json::exception&) { // the checksum held: written by another format; scanned again
        out = CachedScan{};
        return false;
    }
    return true;
}

bool ScanCache::find_commit(std::string_view key, std::string_view& bytes) const
{
    ready();
    return m_commits.find(key, bytes);
}

void ScanCache::store(std::string_view key, const std::string& name, const CachedScan& scan)
{
    ready();
    for (const Skipped& k : scan.skipped)
        if (k.failed) return;
    queue(false, std::string(key), encode(scan, name));
}

void ScanCache::store_commit(std::string_view key, std::string bytes)
{
    ready();
    queue(true, std::string(key), std::move(bytes));
}

void ScanCache::queue(bool commit, std::string key, std::string value)
{
    if (!m_db || m_write_failed) return;
    Pending full;
    {
        std::lock_guard lock(m_mutex);
        (commit ? m_pending.commits : m_pending.scans).emplace_back(std::move(key), std::move(value));
        if (m_pending.scans.size() + m_pending.commits.size() >= batch_size) std::swap(full, m_pending);
    }
    if (full.scans.empty() && full.commits.empty()) return;
    std::lock_guard db(m_db_mutex); // written outside m_mutex: the other workers go on queueing
    if (!m_write_failed) write(full);
}

void ScanCache::flush()
{
    ready();
    Pending rest;
    {
        std::lock_guard lock(m_mutex);
        std::swap(rest, m_pending);
    }
    std::lock_guard db(m_db_mutex);
    if (m_db && !m_write_failed) write(rest);
}

void ScanCache::write(Pending& batch)
{
    if (batch.scans.empty() && batch.commits.empty()) return;
    try {
        exec(m_db, "BEGIN IMMEDIATE");
        Stmt scan(m_db, "INSERT OR REPLACE INTO scans(scope, key, value) VALUES(?, ?, ?)");
        for (const auto& [key, value] : batch.scans) {
            scan.bind(1, m_scope_id).bind(2, key).bind(3, sealed(key, value)).step();
            scan.reset();
        }
        Stmt commit(m_db, "INSERT OR REPLACE INTO commits(key, value) VALUES(?, ?)");
        for (const auto& [key, value] : batch.commits) {
            commit.bind(1, key).bind(2, sealed(key, value)).step();
            commit.reset();
        }
        exec(m_db, "COMMIT");
    } catch (const DbError& e) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        m_write_failed = true;
        warn("cannot write the cache " + m_file + " (" + e.what() + "): this scan's results are not kept");
    }
    batch = Pending{};
}

} // namespace secretscan
