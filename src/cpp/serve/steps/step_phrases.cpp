#include "steps/step_phrases.hpp"

#include <regex>

namespace zbserve::steps {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The index of the ')' closing the group opened at open.
std::size_t group_end(const std::string& pattern, std::size_t open) {
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = open; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            ++i;
        } else if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
    }
    return pattern.size() - 1;
}

// "?:", "?P<name>" or "?<name>" in front of a group's body, dropped.
std::string without_prefix(const std::string& group) {
    if (group.rfind("?:", 0) == 0) return group.substr(2);
    if (group.rfind("?P<", 0) == 0 || group.rfind("?<", 0) == 0) return group.substr(group.find('>') + 1);
    return group;
}

std::string placeholder(const std::string& group) {
    static const std::regex word_alternatives(R"([A-Za-z -]+(\|[A-Za-z -]+)+)");
    if (std::regex_match(group, word_alternatives)) return group.substr(0, group.find('|'));
    if (group.find("\\d") != std::string::npos || group.find("0-9") != std::string::npos) return "<number>";
    return group == "[^']+" || group == "[^']*" ? "<name>" : "<text>";
}

}  // namespace

std::string render_phrase(const std::string& pattern, const std::string& asked_step) {
    static const std::regex process_phrase("the '([^']+)' process");
    std::smatch asked;
    const std::string role = std::regex_search(asked_step, asked, process_phrase) ? asked[1].str() : "<process>";
    std::string body = pattern.rfind('^', 0) == 0 ? pattern.substr(1) : pattern;
    if (ends_with(body, "$") && !ends_with(body, "\\$")) body.pop_back();

    std::string text;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '\\' && i + 1 < body.size()) {
            text += body[++i];
        } else if (c == '(') {
            const std::size_t end = group_end(body, i);
            const std::string group = without_prefix(body.substr(i + 1, end - i - 1));
            const bool is_process = ends_with(text, "the '") && body.compare(end + 1, 9, "' process") == 0;
            text += is_process ? role : placeholder(group);
            i = end;
            if (i + 1 < body.size() && (body[i + 1] == '?' || body[i + 1] == '*' || body[i + 1] == '+')) ++i;
        } else if (c == '?' || c == '*' || c == '+') {
            // A quantifier after a literal character: the character stays.
        } else {
            text += c;
        }
    }
    return text;
}

}  // namespace zbserve::steps
