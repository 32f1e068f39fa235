// The Slack app dlpd is installed as, as config/slack-app-manifest.yaml
// describes it: the OAuth scopes it asks for. `dlpd doctor` compares them
// with what Slack says each token was granted.
#ifndef DLPD_HOST_SLACK_APP_MANIFEST_HPP
#define DLPD_HOST_SLACK_APP_MANIFEST_HPP

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dlpd::slack {

struct AppManifest {
    std::vector<std::string> bot_scopes;   // oauth_config.scopes.bot
    std::vector<std::string> user_scopes;  // oauth_config.scopes.user
};

// Reads a manifest (YAML, as Slack's "From an app manifest" takes it).
// Nothing, with the reason in error, when the file cannot be read or has no
// oauth_config.scopes.
std::optional<AppManifest> load_app_manifest(const std::filesystem::path &file, std::string &error);

// The scopes of an x-oauth-scopes header ("a,b, c"), in order, without blanks.
std::vector<std::string> scope_list(const std::string &header);

}  // namespace dlpd::slack

#endif
