// The admin users: a list, and a form to add one (admins only). Adding goes
// through add_account(), the same checks as `dlpd user add`.
#include "admin/accounts.hpp"
#include "admin/handlers/handlers.hpp"
#include "admin/html.hpp"

namespace dlpd {

void UserListHandler::handle(AdminRequest &r) {
    std::string body;
    std::string name, role = kRoleViewer;
    if (r.is_post()) {
        name = r.field("name");
        role = r.field("role");
        std::string problem;
        if (r.field("password") != r.field("password_again"))
            problem = "the two passwords differ";
        else
            problem = add_account(context_.services.store, name, role, r.field("password"),
                                  static_cast<size_t>(context_.options.min_password_length), r.who->user.name);
        if (problem.empty()) {
            body += html::notice("ok", "Added " + role + " '" + name + "'.");
            name.clear();
            role = kRoleViewer;
        } else {
            body += html::notice("error", "The user was not added: " + problem + ".");
        }
    }
    body += "<table><thead><tr><th>Name</th><th>Role</th><th>State</th><th>Added</th></tr></thead><tbody>";
    for (const auto &u : context_.services.store.admin_users())
        body += "<tr><td>" + html::escape(u.name) + "</td><td>" + html::escape(u.role) + "</td><td>" +
                (u.disabled ? "<span class=\"badge off\">disabled</span>" : "<span class=\"badge on\">active</span>") +
                "</td><td>" + html::format_time(u.created_at_ms) + "</td></tr>";
    body += "</tbody></table>";
    body += "<h2>Add a user</h2><form method=\"post\" action=\"/users\" class=\"card\">" + html::csrf_field(*r.who) +
            "<div class=\"field\"><label for=\"name\">User name</label><input type=\"text\" id=\"name\" name=\"name\" "
            "required autocomplete=\"off\" value=\"" + html::escape(name) + "\"></div>"
            "<div class=\"field\"><label for=\"role\">Role</label><select id=\"role\" name=\"role\">" +
            html::option(kRoleViewer, "viewer: dashboard and incidents, masked", role == kRoleViewer) +
            html::option(kRoleAdmin, "admin: everything", role == kRoleAdmin) +
            "</select></div><div class=\"field\"><label for=\"password\">Password</label><input type=\"password\" "
            "id=\"password\" name=\"password\" required autocomplete=\"new-password\"><div class=\"help\">At least " +
            std::to_string(context_.options.min_password_length) +
            " characters.</div></div><div class=\"field\"><label for=\"password_again\">Password again</label>"
            "<input type=\"password\" id=\"password_again\" name=\"password_again\" required "
            "autocomplete=\"new-password\"></div><button type=\"submit\">Add user</button></form>";
    r.send_page(200, "Users", "users", body);
}

}  // namespace dlpd
