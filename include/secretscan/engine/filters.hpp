#pragma once
// The shared false-positive filter: classes of matched text that are never secrets, decided once
// for every rule instead of rule by rule (docs/rules.md, "Shared filter").

#include <string>
#include <string_view>

namespace secretscan {

/// Why a match is not a secret.
enum class FilterClass {
    none,       ///< keep it
    template_,  ///< a template or variable reference: ${VAR}, {{ secrets.X }}, $(cmd), %(name)s,
                ///< #{x}, <%= x %>, {% x %}, $VAR, %VAR%, @name@, a <placeholder> anywhere
    placeholder,///< a documentation value: contains, in lower, upper or capitalised case, "example", "placeholder", "changeme",
                ///< "change_me", "replace_me", "your_"/"your-", "redacted", "dummy", "xxxx", "****",
                ///< "...."; or a run of 6+ equal or ascending characters ("000000", "123456", "abcdef")
                ///< that is at least a quarter of the secret; or a value published in documentation
                ///< (jwt.io's example tokens, the test keys in Stripe's API reference)
    fixture,    ///< generic rules only: shorter than 6 characters; or its letters (digits and symbols
                ///< between letters read as letters: P4ssw0rd) spell one weak password (pass,
                ///< password, passwd, secret, qwerty, hunter, letmein, changeit, admin, root), or weak
                ///< and test words (test, fake, mock, sample, dummy, foo, bar, demo, temp: testpass),
                ///< with fillers (my, super, default, value...) and other digits and symbols around
                ///< (mypassword123!); or it is a documented default (pass, root, toor, guest, admin,
                ///< user, postgres, mysql, default, changeit, demo, pw). A password made of other words
                ///< too (S3cr3tPassw0rd, bria@pass135!) was chosen by someone: not a fixture
    hash,       ///< generic rules only: a whole hex digest (32, 40, 56, 64, 96 or 128 hex digits:
                ///< MD5, SHA-1 and git object ids, SHA-224, SHA-256, SHA-384, SHA-512), an SRI
                ///< integrity value "sha256-"/"sha384-"/"sha512-" + base64 (W3C Subresource
                ///< Integrity), a Go module hash "h1:" + base64 (go.sum), "sha1:"/"sha256:"/"md5:" + hex
    uuid,       ///< generic rules only: a whole UUID, 8-4-4-4-12 hex digits (RFC 9562 §4)
    example_host,///< URL rules (RuleKind::url) only: the credentials are for a host in a domain reserved
                ///< for documentation and tests (RFC 2606, RFC 6761): example.com, example.net,
                ///< example.org and their subdomains, *.example, *.test, *.invalid
    lockfile,   ///< generic rules other than URL credentials: the file is a package manager's
                ///< lockfile (is_lockfile), whose values are hashes and versions
};

/// "template", "placeholder", "fixture", "hash", "uuid", "example-host", "lockfile" (and "none").
std::string_view to_string(FilterClass c) noexcept;

/// The class of a matched secret (UTF-8, the rule's secret group), or FilterClass::none.
/// `generic`: the rule is not a token rule (RuleKind generic or url): it matches on a name
/// rather than a token format, so a digest or a UUID assigned to that name is not a secret.
/// Provider rules are exempt from hash and uuid: some providers' keys are hex or UUIDs.
/// Thread-safe, never throws.
FilterClass classify_secret(std::string_view secret, bool generic) noexcept;

/// A class and what in the secret put it there ("contains 'example'", "has the run '000000'").
struct FilterVerdict {
    FilterClass cls = FilterClass::none;
    std::string reason; ///< empty for FilterClass::none
};

/// classify_secret with the reason, for `rules check` and diagnostics. Throws std::bad_alloc only.
FilterVerdict explain_secret(std::string_view secret, bool generic);

/// Whether `host` (a DNS name, any case, an optional trailing dot) is in a domain reserved for
/// documentation and tests: example.com, example.net, example.org (RFC 2606 §3), the .example,
/// .test and .invalid top-level domains (RFC 2606 §2, RFC 6761), or a subdomain of one.
/// Thread-safe.
bool is_example_host(std::string_view host) noexcept;

/// The example-host class for a URL rule's match: whether `text` continues after the secret
/// (ending at byte `secret_end`, 0-based) with "@" and a host is_example_host accepts. Thread-safe.
bool credentials_for_example_host(std::string_view text, std::size_t secret_end) noexcept;

/// Whether `path` (any directory prefix, '/'-separated) names a lockfile by its file name:
/// package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock, deno.lock,
/// Cargo.lock, go.sum, poetry.lock, Pipfile.lock, pdm.lock, uv.lock, Gemfile.lock,
/// composer.lock, packages.lock.json, paket.lock, flake.lock, mix.lock, pubspec.lock,
/// Podfile.lock, Package.resolved, gradle.lockfile, conan.lock. Thread-safe.
bool is_lockfile(std::string_view path) noexcept;

} // namespace secretscan
