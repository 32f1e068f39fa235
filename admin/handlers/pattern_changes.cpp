// Enabling, disabling and deleting a pattern. Like a save, each change goes
// through the store (revision bump, audit log) and then RuleSync::notify().
#include "admin/handlers/handlers.hpp"
#include "admin/handlers/rule_lookup.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {

void rules_changed(AdminContext &context) {
    if (context.services.rule_sync != nullptr) context.services.rule_sync->notify();
}

}  // namespace

void PatternToggleHandler::handle(AdminRequest &r) {
    auto rule = find_rule(context_.services.store, r.field("name"));
    if (!rule) {
        r.send_error_page(404, "No such pattern", "There is no pattern named '" + r.field("name") + "'.");
        return;
    }
    rule->enabled = r.field("enabled") == "yes";
    context_.services.store.upsert_rules({*rule}, r.who->user.name);
    rules_changed(context_);
    r.redirect("/patterns?changed=" + html::url_encode(rule->name) + "&enabled=" + (rule->enabled ? "yes" : "no"));
}

void PatternDeleteHandler::handle(AdminRequest &r) {
    const std::string name = r.field("name");
    if (!find_rule(context_.services.store, name)) {
        r.send_error_page(404, "No such pattern", "There is no pattern named '" + name + "'.");
        return;
    }
    if (r.field("confirm") != "yes") {
        r.send_page(200, "Delete pattern " + name, "patterns",
                    "<div class=\"card\"><p>Delete the pattern <strong>" + html::escape(name) +
                        "</strong>? It stops matching at once. Incidents it caught stay.</p>"
                        "<form method=\"post\" action=\"/patterns/delete\" class=\"actions\">" +
                        html::csrf_field(*r.who) + "<input type=\"hidden\" name=\"name\" value=\"" + html::escape(name) +
                        "\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">"
                        "<button type=\"submit\" class=\"danger\">Yes, delete it</button>"
                        "<a href=\"/patterns/edit?name=" + html::url_encode(name) + "\">No, keep it</a></form></div>");
        return;
    }
    context_.services.store.delete_rule(name, r.who->user.name);
    rules_changed(context_);
    r.redirect("/patterns?deleted=" + html::url_encode(name));
}

}  // namespace dlpd
