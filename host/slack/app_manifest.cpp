#include "slack/app_manifest.hpp"

#include <yaml-cpp/yaml.h>

namespace dlpd::slack {

namespace {

// A list of scope names; false when the node is there but is not a list of strings.
bool read_scopes(const YAML::Node &node, std::vector<std::string> &out) {
    if (!node) return true;
    if (!node.IsSequence()) return false;
    for (const auto &item : node) {
        if (!item.IsScalar()) return false;
        out.push_back(item.as<std::string>());
    }
    return true;
}

}  // namespace

std::optional<AppManifest> load_app_manifest(const std::filesystem::path &file, std::string &error) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile &) {
        error = file.string() + ": cannot read the Slack app manifest";
        return std::nullopt;
    } catch (const YAML::Exception &e) {
        error = file.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg;
        return std::nullopt;
    }
    const YAML::Node scopes =
        root.IsMap() && root["oauth_config"].IsMap() ? root["oauth_config"]["scopes"] : YAML::Node();
    if (!scopes.IsMap()) {
        error = file.string() + ": no oauth_config.scopes (not a Slack app manifest?)";
        return std::nullopt;
    }
    AppManifest manifest;
    if (!read_scopes(scopes["bot"], manifest.bot_scopes) || !read_scopes(scopes["user"], manifest.user_scopes)) {
        error = file.string() + ": oauth_config.scopes.bot and .user must be lists of scope names";
        return std::nullopt;
    }
    return manifest;
}

std::vector<std::string> scope_list(const std::string &header) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= header.size()) {
        size_t comma = header.find(',', start);
        if (comma == std::string::npos) comma = header.size();
        std::string scope = header.substr(start, comma - start);
        scope.erase(0, scope.find_first_not_of(" \t"));
        scope.erase(scope.find_last_not_of(" \t") + 1);
        if (!scope.empty()) out.push_back(scope);
        start = comma + 1;
    }
    return out;
}

}  // namespace dlpd::slack
