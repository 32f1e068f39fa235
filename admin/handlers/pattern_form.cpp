// Adding and editing a pattern. The pattern is checked by the detector
// plugin through the ABI (ScanEngine::check_rule: RE2's message and
// position), its examples and the "try it" text are run by a trial engine
// holding just this rule, and a save goes through Store::upsert_rules (which
// bumps the revision and writes the audit log) and then RuleSync::notify(),
// so the running engine applies it at once. The form always keeps what was
// typed.
#include <map>
#include <sstream>

#include "admin/handlers/handlers.hpp"
#include "admin/handlers/rule_lookup.hpp"
#include "admin/html.hpp"

namespace dlpd {

namespace {

using FieldErrors = std::map<std::string, std::string>;

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

std::string joined_lines(const std::vector<std::string> &lines) {
    std::string out;
    for (const auto &l : lines) out += l + "\n";
    return out;
}

// "luhn, entropy:3.5" → {"luhn", "entropy:3.5"}: commas or whitespace separate.
std::vector<std::string> words_of(const std::string &text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text + ",") {
        if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!word.empty()) out.push_back(word);
            word.clear();
        } else {
            word.push_back(c);
        }
    }
    return out;
}

std::string comma_joined(const std::vector<std::string> &words) {
    std::string out;
    for (const auto &w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

bool valid_rule_name(const std::string &name) {
    return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

Rule rule_from_form(const AdminRequest &r, bool is_new) {
    Rule rule;
    rule.name = is_new ? r.field("name") : r.param("name");
    rule.regex = r.field("regex");
    rule.detector = r.field("detector").empty() ? "regex" : r.field("detector");
    for (const auto &field : r.fields("validators"))
        for (auto &w : words_of(field)) rule.validators.push_back(std::move(w));
    rule.severity = r.field("severity");
    rule.confidence = r.field("confidence").empty() ? "medium" : r.field("confidence");
    rule.context = lines_of(r.field("context"));
    const std::string window = r.field("context_window");
    rule.context_window = window.empty() || window.size() > 5 || window.find_first_not_of("0123456789") != std::string::npos
                              ? (window.empty() ? 64u : 0u)
                              : static_cast<uint32_t>(std::stoul(window));
    rule.context_required = r.field("context_required") == "yes";
    rule.confidence_without_context = r.field("confidence_without_context");
    rule.allow = lines_of(r.field("allow"));
    rule.description = r.field("description");
    rule.enabled = r.field("enabled") == "yes";
    rule.examples_match = lines_of(r.field("examples_match"));
    rule.examples_no_match = lines_of(r.field("examples_no_match"));
    return rule;
}

// Where a problem belongs on the form.
std::string field_of(const RuleProblem &p) {
    if (p.message.starts_with("validator")) return "validators";
    if (p.message.starts_with("context")) return "context";
    if (p.message.starts_with("allow")) return "allow";
    if (p.message.starts_with("confidence_without_context")) return "confidence_without_context";
    if (p.message.starts_with("confidence")) return "confidence";
    if (p.message.starts_with("detector")) return "detector";
    if (p.message.starts_with("examples")) return "examples";
    return "regex";
}

std::string problem_text(const RuleProblem &p, const Rule &rule) {
    std::string out = "<div class=\"error\">" + html::escape(p.message);
    if (p.position >= 0 && static_cast<size_t>(p.position) <= rule.regex.size()) {
        out += " (at byte " + std::to_string(p.position) + ")<pre>" + html::escape(rule.regex) + "\n<span class=\"caret\">" +
               std::string(static_cast<size_t>(p.position), ' ') + "^</span></pre>";
    }
    return out + "</div>";
}

// The sample text with every finding marked, escaped piece by piece.
std::string highlighted(const std::string &text, const std::vector<Finding> &findings) {
    std::string out;
    size_t at = 0;
    for (const auto &f : findings) {
        if (f.start < at || f.end > text.size()) continue;  // overlapping or out of range: already shown
        out += html::escape(std::string_view(text).substr(at, f.start - at));
        out += "<mark class=\"hit\">" + html::escape(std::string_view(text).substr(f.start, f.end - f.start)) + "</mark>";
        at = f.end;
    }
    return out + html::escape(std::string_view(text).substr(at));
}

std::string trial_section(const TrialScanner::Trial &trial, const std::string &sample) {
    std::string out = "<div class=\"card\" id=\"trial\"><h2>Try it: result</h2>";
    if (!trial.problems.empty()) return out + "<p class=\"bad\">The pattern cannot run; see the errors above.</p></div>";
    if (trial.findings.empty()) {
        out += "<p>No match in the sample text.</p>";
    } else {
        out += "<p>" + std::to_string(trial.findings.size()) + " match(es), highlighted:</p>";
    }
    out += "<pre class=\"sample\">" + highlighted(sample, trial.findings) + "</pre>";
    if (!trial.findings.empty()) {
        out += "<table><thead><tr><th>Line</th><th>Column</th><th>Match</th><th>Confirmed by</th></tr></thead><tbody>";
        for (const auto &f : trial.findings) {
            std::string validators;
            for (const auto &v : f.validators) validators += (validators.empty() ? "" : ", ") + v;
            out += "<tr><td class=\"num\">" + std::to_string(f.line) + "</td><td class=\"num\">" +
                   std::to_string(f.column) + "</td><td><code>" + html::escape(f.match) + "</code></td><td>" +
                   html::escape(validators.empty() ? "(no validators)" : validators) + "</td></tr>";
        }
        out += "</tbody></table>";
    }
    return out + "</div>";
}

std::string field_block(const std::string &id, const std::string &label, const std::string &input,
                        const std::string &help, const std::string &error) {
    return "<div class=\"field" + std::string(error.empty() ? "" : " invalid") + "\"><label for=\"" + id + "\">" +
           label + "</label>" + input + (help.empty() ? "" : "<div class=\"help\">" + help + "</div>") + error +
           "</div>";
}

std::string render_form(const AdminRequest &r, const AdminContext &context, const Rule &rule, bool is_new,
                        const std::map<std::string, std::string> &errors, const std::string &sample,
                        const std::string &after_form) {
    auto error = [&](const std::string &field) {
        auto it = errors.find(field);
        return it == errors.end() ? std::string() : it->second;
    };
    const std::string action = is_new ? "/patterns/new" : "/patterns/edit?name=" + html::url_encode(rule.name);
    std::string body;
    if (!errors.empty()) body += html::notice("error", "The pattern was not saved: see the messages below.");
    body += "<form method=\"post\" action=\"" + html::escape(action) + "\" class=\"card\">" + html::csrf_field(*r.who);
    body += field_block("name", "Name",
                        "<input type=\"text\" id=\"name\" name=\"name\" required value=\"" + html::escape(rule.name) +
                            "\"" + (is_new ? "" : " readonly") + ">",
                        is_new ? "Unique; letters, digits, _ . -" : "The name cannot change.", error("name"));
    body += field_block("regex", "Pattern (RE2)",
                        "<input type=\"text\" id=\"regex\" name=\"regex\" class=\"mono\" required value=\"" +
                            html::escape(rule.regex) + "\">",
                        "When the pattern has a capture group, group 1 is the sensitive part.", error("regex"));
    std::string severities = "<select id=\"severity\" name=\"severity\">";
    for (const char *s : kSeverities) severities += html::option(s, s, rule.severity == s);
    body += field_block("severity", "Severity", severities + "</select>", "", error("severity"));
    std::string confidences = "<select id=\"confidence\" name=\"confidence\">";
    for (const char *c : kConfidences) confidences += html::option(c, c, rule.confidence == c);
    body += field_block("confidence", "Base confidence", confidences + "</select>",
                        "One level higher when a checksum validator confirms a match, one more when a context word "
                        "is near it. The policy may act only from a confidence up.",
                        error("confidence"));
    std::string detectors = "<select id=\"detector\" name=\"detector\">";
    std::string available;
    for (const auto &p : context.services.registry.loaded()) {
        if (p->detector != nullptr) detectors += html::option(p->name, p->name, rule.detector == p->name);
        for (const auto &v : p->validators)
            available += std::string(available.empty() ? "" : ", ") + "<code>" + html::escape(v.name) + "</code>" +
                         ((v.flags & DLPD_VALIDATOR_CHECKSUM) != 0 ? " (checksum)" : "");
    }
    body += field_block("detector", "Detector", detectors + "</select>", "", error("detector"));
    body += field_block("validators", "Validators",
                        "<input type=\"text\" id=\"validators\" name=\"validators\" class=\"mono\" value=\"" +
                            html::escape(comma_joined(rule.validators)) + "\">",
                        "Comma-separated; an argument after a colon (<code>entropy:3.5</code>). Every candidate must "
                        "be confirmed by each. Loaded: " +
                            (available.empty() ? std::string("none") : available) + ".",
                        error("validators"));
    body += field_block("context", "Context words",
                        "<textarea id=\"context\" name=\"context\" class=\"mono\">" +
                            html::escape(joined_lines(rule.context)) + "</textarea>",
                        "One word or phrase per line, case-insensitive, looked for around each match.", error("context"));
    body += field_block("context_window", "Context window (bytes)",
                        "<input type=\"number\" id=\"context_window\" name=\"context_window\" min=\"1\" max=\"" +
                            std::to_string(kMaxContextWindow) + "\" value=\"" + std::to_string(rule.context_window) +
                            "\">",
                        "How far before and after the match to look.", "");
    body += "<div class=\"field\"><label><input type=\"checkbox\" name=\"context_required\" value=\"yes\"" +
            std::string(rule.context_required ? " checked" : "") +
            "> Only report a match with a context word near it</label></div>";
    std::string caps = "<select id=\"confidence_without_context\" name=\"confidence_without_context\">" +
                       html::option("", "no cap", rule.confidence_without_context.empty());
    for (const char *c : kConfidences) caps += html::option(c, c, rule.confidence_without_context == c);
    body += field_block("confidence_without_context", "Confidence without a context word", caps + "</select>",
                        "The highest confidence of a match with no context word near it: <code>low</code> records a "
                        "bare match without the default policy acting on it. Needs context words; not with the "
                        "option above.",
                        error("confidence_without_context"));
    body += field_block("allow", "Allow patterns",
                        "<textarea id=\"allow\" name=\"allow\" class=\"mono\">" +
                            html::escape(joined_lines(rule.allow)) + "</textarea>",
                        "One RE2 pattern per line: a match whose sensitive part any of them finds is not reported.",
                        error("allow"));
    body += field_block("description", "Description",
                        "<input type=\"text\" id=\"description\" name=\"description\" value=\"" +
                            html::escape(rule.description) + "\">",
                        "", "");
    body += "<div class=\"field\"><label><input type=\"checkbox\" name=\"enabled\" value=\"yes\"" +
            std::string(rule.enabled ? " checked" : "") + "> Enabled</label></div>";
    body += field_block("examples_match", "Examples that must match",
                        "<textarea id=\"examples_match\" name=\"examples_match\" class=\"mono\">" +
                            html::escape(joined_lines(rule.examples_match)) + "</textarea>",
                        "One per line. Checked on every save.", error("examples"));
    body += field_block("examples_no_match", "Examples that must not match",
                        "<textarea id=\"examples_no_match\" name=\"examples_no_match\" class=\"mono\">" +
                            html::escape(joined_lines(rule.examples_no_match)) + "</textarea>",
                        "One per line.", "");
    body += field_block("sample", "Try it on this text",
                        "<textarea id=\"sample\" name=\"sample\" class=\"mono\">" + html::escape(sample) + "</textarea>",
                        "Runs the pattern and its validators as typed, without saving.", "");
    body += "<div class=\"actions\"><button type=\"submit\" name=\"do\" value=\"save\">Save</button>"
            "<button type=\"submit\" name=\"do\" value=\"try\" class=\"secondary\">Try it</button>"
            "<a href=\"/patterns\">Cancel</a></div></form>";
    body += after_form;
    if (!is_new)
        body += "<form method=\"post\" action=\"/patterns/delete\" class=\"card\">" + html::csrf_field(*r.who) +
                "<input type=\"hidden\" name=\"name\" value=\"" + html::escape(rule.name) +
                "\"><button type=\"submit\" class=\"danger\">Delete this pattern…</button></form>";
    return body;
}

}  // namespace

void PatternFormHandler::handle(AdminRequest &r) {
    const bool is_new = r.path == "/patterns/new";
    Store &store = context_.services.store;
    std::optional<Rule> stored;
    if (!is_new) {
        stored = find_rule(store, r.param("name"));
        if (!stored) {
            r.send_error_page(404, "No such pattern", "There is no pattern named '" + r.param("name") + "'.");
            return;
        }
    }
    const std::string title = is_new ? "Add pattern" : "Edit pattern " + stored->name;
    if (!r.is_post()) {
        Rule blank;
        blank.regex.clear();
        r.send_page(200, title, "patterns", render_form(r, context_, is_new ? blank : *stored, is_new, {}, "", ""));
        return;
    }

    const Rule rule = rule_from_form(r, is_new);
    const std::string sample = r.field("sample");
    FieldErrors errors;
    auto add_error = [&](const std::string &field, const std::string &html_text) { errors[field] += html_text; };
    if (!valid_rule_name(rule.name))
        add_error("name", "<div class=\"error\">A name is needed: letters, digits, _ . - (at most 128).</div>");
    else if (is_new && find_rule(store, rule.name))
        add_error("name", "<div class=\"error\">A pattern with this name exists already.</div>");
    if (std::find(std::begin(kSeverities), std::end(kSeverities), rule.severity) == std::end(kSeverities))
        add_error("severity", "<div class=\"error\">Choose a severity.</div>");
    if (rule.regex.empty())
        add_error("regex", "<div class=\"error\">A pattern is needed.</div>");
    else
        for (const auto &p : context_.services.engine.check_rule(rule)) add_error(field_of(p), problem_text(p, rule));

    if (r.field("do") == "try") {
        const std::string trial = errors.count("regex") || errors.count("detector") || errors.count("validators")
                                      ? std::string()
                                      : trial_section(context_.trial.run(rule, sample), sample);
        errors.erase("name");  // trying does not need a final name
        r.send_page(errors.empty() ? 200 : 422, title, "patterns", render_form(r, context_, rule, is_new, errors, sample, trial));
        return;
    }
    if (errors.empty())
        for (const auto &p : context_.trial.check_examples(rule)) add_error(field_of(p), problem_text(p, rule));
    if (!errors.empty()) {
        r.send_page(422, title, "patterns", render_form(r, context_, rule, is_new, errors, sample, ""));
        return;
    }
    store.upsert_rules({rule}, r.who->user.name);
    if (context_.services.rule_sync != nullptr) context_.services.rule_sync->notify();
    r.redirect("/patterns?saved=" + html::url_encode(rule.name));
}

}  // namespace dlpd
