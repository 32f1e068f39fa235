// dlpd scan: the engine on files, folders and standard input.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "runtime/engine_setup.hpp"
#include "runtime/rule_sync.hpp"
#include "log.hpp"
#include "report/report_writer.hpp"
#include "store/store.hpp"

namespace dlpd {

namespace {

constexpr const char *kScanUsage = R"(usage: dlpd scan [OPTIONS] PATH|- ...

Scans files, folders (recursively) and standard input (-) with the loaded
plugins and a rule pack. Matches are masked unless --reveal is given.

options:
  --config FILE         configuration file (dlpd.yaml): plugin folders and settings, engine
                        limits, rule pack, log level; the options below override it
  --patterns FILE       rule pack to use (default: rules.pack of the configuration, else the
                        starter pack, share/dlpd/patterns.yaml)
  --format FORMAT       text (default), jsonl or sarif
  --reveal              show matched content in full
  --plugin-dir DIR      load plugins from DIR instead of the default places (repeatable)
  --set PLUGIN.KEY=VAL  a plugin setting, e.g. regex.max_mem_mb=512 (repeatable;
                        'dlpd plugins --verbose' lists each plugin's keys)
  -q, --quiet           text format: no diagnostics on standard error
  --fail-on-unscanned   exit with status 3 when a file or a part of one could not be
                        scanned (encrypted, corrupt, a limit hit, a document no reader
                        opens), so a CI job fails on what it could not check

exit status: 0 nothing found, 1 findings, 2 error (bad arguments, bad
configuration, bad rule pack, a path that cannot be read), 3 nothing found
but something was not scanned (only with --fail-on-unscanned))
)";

struct ScanOptions {
    std::optional<std::filesystem::path> config_file;
    SetupOptions setup;
    ReportFormat format = ReportFormat::text;
    bool reveal = false;
    bool quiet = false;
    bool fail_on_unscanned = false;
    std::vector<std::string> paths;
};

bool read_all(std::istream &in, std::string &out) {
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// Replaces the pack's rules with the store's. A store that does not exist
// yet (no SQLite file) or has no rules leaves the pack's rules, and says so.
int use_stored_rules(const Config &config, EngineSetup &setup) {
    std::string error;
    auto url = parse_database_url(config.database.url, error);
    if (!url) {
        std::cerr << "dlpd: error: " << error << "\n";
        return kExitError;
    }
    if (url->dialect == DatabaseUrl::Dialect::sqlite && !std::filesystem::exists(url->path)) {
        std::cerr << "dlpd: notice: no store at " << url->redacted() << " yet; scanning with the rules of "
                  << setup.patterns_file.string() << "\n";
        return kExitClean;
    }
    try {
        StoreOptions options;
        options.connect_timeout_seconds = static_cast<int>(config.database.connect_timeout_seconds);
        auto store = Store::open(*url, options);
        store->migrate();
        auto rules = store->rules();
        if (rules.empty()) {
            std::cerr << "dlpd: notice: the store at " << url->redacted() << " has no rules; scanning with the rules of "
                      << setup.patterns_file.string() << "\n";
            return kExitClean;
        }
        const auto problems = setup.engine->set_rules(rules);
        for (const auto &p : problems) std::cerr << "dlpd: error: stored " << describe(p) << "\n";
        if (!problems.empty()) return kExitError;
        setup.rules = std::move(rules);
        // The allowlist in force is the store's too (seeded from the pack's
        // test values by the first `dlpd run`).
        if (store->allowlist_revision() > 0) setup.engine->set_value_allowlist(stored_allowlist(*store));
        return kExitClean;
    } catch (const StoreError &e) {
        std::cerr << "dlpd: error: " << e.what() << "\n";
        return kExitError;
    }
}

}  // namespace

int command_scan(const Args &args) {
    ScanOptions opt;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](const char *what) -> std::string {
            if (i + 1 >= args.size()) throw std::runtime_error(std::string(what) + " needs a value");
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            std::cout << kScanUsage;
            return kExitClean;
        } else if (a == "--config") {
            opt.config_file = value("--config");
        } else if (a == "--patterns") {
            opt.setup.patterns = value("--patterns");
        } else if (a == "--plugin-dir") {
            opt.setup.plugin_dirs.emplace_back(value("--plugin-dir"));
        } else if (a == "--format") {
            std::string f = value("--format");
            if (f == "text") opt.format = ReportFormat::text;
            else if (f == "jsonl") opt.format = ReportFormat::jsonl;
            else if (f == "sarif") opt.format = ReportFormat::sarif;
            else {
                std::cerr << "dlpd scan: unknown format '" << f << "' (text, jsonl or sarif)\n";
                return kExitError;
            }
        } else if (a == "--set") {
            if (auto error = add_plugin_setting(opt.setup.plugin_settings, value("--set")); !error.empty()) {
                std::cerr << "dlpd scan: --set " << error << "\n";
                return kExitError;
            }
        } else if (a == "--reveal") {
            opt.reveal = true;
        } else if (a == "--fail-on-unscanned") {
            opt.fail_on_unscanned = true;
        } else if (a == "-q" || a == "--quiet") {
            opt.quiet = true;
        } else if (a == "-" || a.empty() || a[0] != '-') {
            opt.paths.push_back(a);
        } else {
            std::cerr << "dlpd scan: unknown option '" << a << "'\n" << kScanUsage;
            return kExitError;
        }
    }
    if (opt.paths.empty()) {
        std::cerr << "dlpd scan: no PATH given (use - for standard input)\n" << kScanUsage;
        return kExitError;
    }

    Config config;
    try {
        config = load_command_config(opt.config_file);
    } catch (const ConfigError &e) {
        for (const auto &p : e.problems()) std::cerr << "dlpd: error: " << p << "\n";
        return kExitError;
    }
    opt.setup.config = &config;
    // A scan is a short-lived process: building a Hyperscan database in the
    // background would only delay its exit (the worker is joined), by up to
    // half a minute for 10,000 rules. --set regex.prefilter=auto turns it on.
    opt.setup.command_defaults["regex"]["prefilter"] = {"none"};
    // Standard error is for diagnostics about the items; the daemon-style
    // info lines go only where a configuration asks for them.
    if (!opt.config_file) set_min_log_level(LogLevel::warning);
    auto setup = set_up_engine(opt.setup);
    for (const auto &refused : setup->registry.refused())
        std::cerr << "dlpd: warning: plugin refused: " << refused.file.string() << ": " << refused.reason << "\n";
    if (!setup->errors.empty()) {
        for (const auto &e : setup->errors) std::cerr << "dlpd: error: " << e << "\n";
        return kExitError;
    }
    // With a configuration and no --patterns, the rules in force are the
    // store's, exactly as `dlpd run` would use them.
    if (opt.config_file && !opt.setup.patterns) {
        if (auto code = use_stored_rules(config, *setup); code != kExitClean) return code;
    }

    std::ostringstream sink;
    std::ostream &err = opt.quiet ? static_cast<std::ostream &>(sink) : std::cerr;
    auto writer = make_report_writer(opt.format, opt.reveal, std::cout, err, setup->rules);
    bool any_finding = false;
    bool any_error = false;
    std::vector<UnscannedPart> unscanned;

    auto scan_item = [&](const std::string &data, const std::string &name) {
        ScanResult r = setup->engine->scan(data, name);
        for (const auto &d : r.diagnostics) writer->diagnostic(d);
        for (const auto &f : r.findings) writer->finding(f);
        if (r.allowlisted > 0)
            writer->diagnostic(Diagnostic{name, "dlpd", LogLevel::info, DLPD_OK, "",
                                          std::to_string(r.allowlisted) +
                                              " match(es) not reported: the value is on the allowlist"});
        any_finding = any_finding || !r.findings.empty();
        for (auto &part : unscanned_parts(r)) unscanned.push_back(std::move(part));
    };
    auto io_error = [&](const std::string &path, const std::string &what) {
        writer->diagnostic(Diagnostic{path, "dlpd", LogLevel::error, DLPD_ERR_FAILED, "", what});
        any_error = true;
    };
    auto scan_file = [&](const std::filesystem::path &file) {
        std::ifstream in(file, std::ios::binary);
        std::string data;
        if (!in || !read_all(in, data)) return io_error(file.string(), "cannot read the file");
        scan_item(data, file.string());
    };

    for (const auto &p : opt.paths) {
        if (p == "-") {
            std::string data;
            if (!read_all(std::cin, data)) io_error("-", "cannot read standard input");
            else scan_item(data, "-");
            continue;
        }
        std::error_code ec;
        const std::filesystem::path path(p);
        const auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status)) {
            io_error(p, "no such file or directory");
        } else if (std::filesystem::is_directory(status)) {
            std::vector<std::filesystem::path> files;
            std::filesystem::recursive_directory_iterator it(
                path, std::filesystem::directory_options::skip_permission_denied, ec);
            if (ec) io_error(p, "cannot list the directory: " + ec.message());
            for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec)) files.push_back(it->path());
            std::sort(files.begin(), files.end());
            for (const auto &f : files) scan_file(f);
        } else if (std::filesystem::is_regular_file(status)) {
            scan_file(path);
        } else {
            io_error(p, "not a regular file or directory");
        }
    }
    writer->finish();
    std::cout.flush();
    if (opt.fail_on_unscanned && !unscanned.empty()) {
        // Named once more at the end, so a CI log shows why the job failed.
        err << "dlpd: " << unscanned.size() << " part(s) not scanned:";
        for (const auto &part : unscanned)
            err << " " << printable_name(part.path) << (part.subject.empty() ? "" : "!" + printable_name(part.subject))
                << " (" << part.reason << ")";
        err << "\n";
    }
    if (any_error) return kExitError;
    if (any_finding) return kExitFindings;
    return opt.fail_on_unscanned && !unscanned.empty() ? kExitUnscanned : kExitClean;
}

}  // namespace dlpd
