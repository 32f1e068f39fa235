// The plugin registry: every way a plugin can be unusable is refused with one
// message naming the file and the reason, and the good plugins still load.
#include <catch2/catch.hpp>

#include "engine/plugin_registry.hpp"
#include "test_support.hpp"

using namespace dlpd;
using dlpd::test::kBrokenDir;

namespace {

std::string refusal_of(const std::filesystem::path &file, std::string *log_text = nullptr) {
    test::LogCapture capture;
    PluginRegistry registry;
    const LoadedPlugin *p = registry.load_file(file);
    if (log_text != nullptr) *log_text = capture.all();
    if (p != nullptr) return "(loaded)";
    REQUIRE(registry.refused().size() == 1);
    CHECK(registry.refused()[0].file == file);
    // The log line names the file and carries the same reason.
    CHECK_THAT(capture.all(), Catch::Contains(file.string()) && Catch::Contains(registry.refused()[0].reason));
    return registry.refused()[0].reason;
}

}  // namespace

TEST_CASE("a file that is not a shared object is refused as such", "[loader]") {
    test::TempDir tmp;
    auto text = tmp.write("notes.so", "this is a text file, not an ELF object\n");
    CHECK_THAT(refusal_of(text), Catch::StartsWith("not a shared object"));
    auto empty = tmp.write("empty.so", "");
    CHECK_THAT(refusal_of(empty), Catch::StartsWith("not a shared object"));
}

TEST_CASE("a missing file is refused", "[loader]") {
    CHECK_THAT(refusal_of("/nonexistent/dir/plugin.so"), Catch::Contains("not a regular file"));
}

TEST_CASE("a shared object without the entry symbol is refused", "[loader]") {
    CHECK_THAT(refusal_of(kBrokenDir / "no_entry.so"), Catch::Contains("no entry symbol dlpd_plugin_entry"));
}

TEST_CASE("a plugin built for another ABI major is refused with both versions", "[loader]") {
    CHECK(refusal_of(kBrokenDir / "abi_major.so") ==
          "ABI major mismatch: the plugin was built for ABI 2.1, this host implements ABI 1.1");
}

TEST_CASE("a plugin whose entry refuses the host's major is refused", "[loader]") {
    CHECK_THAT(refusal_of(kBrokenDir / "entry_refuses_host.so"),
               Catch::Contains("does not support host ABI 1.1") && Catch::Contains("returned NULL"));
}

TEST_CASE("a plugin that needs a newer ABI minor is refused", "[loader]") {
    CHECK_THAT(refusal_of(kBrokenDir / "newer_minor.so"),
               Catch::Contains("needs ABI 1.2") && Catch::Contains("newer than this host's ABI 1.1"));
}

TEST_CASE("a plugin whose init fails is refused with the status and its own log line", "[loader]") {
    std::string log_text;
    CHECK(refusal_of(kBrokenDir / "init_fails.so", &log_text) == "init failed with DLPD_ERR_CONFIG");
    CHECK_THAT(log_text, Catch::Contains("init_fails") && Catch::Contains("cannot open its model file"));
}

TEST_CASE("a descriptor with a NULL lifecycle function is refused", "[loader]") {
    CHECK_THAT(refusal_of(kBrokenDir / "null_function.so"), Catch::Contains("lifecycle function is NULL"));
}

TEST_CASE("a plugin with an unresolved symbol fails at load time, not later", "[loader]") {
    CHECK_THAT(refusal_of(kBrokenDir / "missing_symbol.so"),
               Catch::StartsWith("cannot be loaded") &&
                   Catch::Contains("dlpd_test_symbol_that_does_not_exist"));
}

TEST_CASE("a folder with broken plugins still loads the good one", "[loader]") {
    test::TempDir tmp;
    for (const auto &entry : std::filesystem::directory_iterator(kBrokenDir))
        std::filesystem::copy_file(entry.path(), tmp.path() / entry.path().filename());
    tmp.write("garbage.so", "\x7f" "ELF but not really");
    tmp.write("README.txt", "not a plugin, and not named .so: ignored");

    test::LogCapture capture;
    PluginRegistry registry;
    registry.load_directory(tmp.path());
    REQUIRE(registry.loaded().size() == 1);
    CHECK(registry.loaded()[0]->name == "good_validator");
    REQUIRE(registry.loaded()[0]->validators.size() == 1);
    // An ABI 1.0 table: no flags, no arguments.
    CHECK(registry.loaded()[0]->validators[0].name == "good_validator");
    CHECK(registry.loaded()[0]->validators[0].flags == 0);
    CHECK_FALSE(registry.loaded()[0]->validators[0].takes_args);
    CHECK(registry.refused().size() == 8);
    for (const auto &r : registry.refused()) {
        INFO(r.file.string() << ": " << r.reason);
        CHECK(r.file.parent_path() == tmp.path());
        CHECK_FALSE(r.reason.empty());
    }
}

TEST_CASE("the same plugin twice is refused the second time", "[loader]") {
    test::TempDir tmp;
    std::filesystem::copy_file(kBrokenDir / "good_validator.so", tmp.path() / "copy.so");
    PluginRegistry registry;
    REQUIRE(registry.load_file(kBrokenDir / "good_validator.so") != nullptr);
    test::LogCapture capture;
    CHECK(registry.load_file(tmp.path() / "copy.so") == nullptr);
    CHECK_THAT(registry.refused().at(0).reason, Catch::Contains("duplicate plugin id org.dlpd.test.good_validator"));
}

TEST_CASE("the built-in plugins load with their identity, roles and schema", "[loader]") {
    PluginRegistry registry;
    registry.load_directory(test::kPluginDir);
    CHECK(registry.refused().empty());
    const LoadedPlugin *regex = registry.find_by_name("regex");
    const LoadedPlugin *luhn = registry.find_by_name("luhn");
    REQUIRE(regex != nullptr);
    REQUIRE(luhn != nullptr);
    CHECK(regex->id == "org.dlpd.regex");
    CHECK(regex->abi_major == DLPD_ABI_MAJOR);
    CHECK(regex->detector != nullptr);
    CHECK(regex->validators.empty());
    REQUIRE(luhn->validators.size() == 1);
    CHECK(luhn->validators[0].name == "luhn");
    CHECK(luhn->validators[0].flags == DLPD_VALIDATOR_CHECKSUM);
    CHECK(luhn->validators[0].takes_args);
    bool has_max_mem = false;
    for (const auto &k : regex->config_keys)
        if (k.name == "max_mem_mb") has_max_mem = k.type == DLPD_CONFIG_INTEGER && k.has_default;
    CHECK(has_max_mem);
}
