#include "steps/required_literal.hpp"

#include <algorithm>
#include <cctype>

namespace zbserve::steps {

namespace {

// Index of the ']' closing the class opened at i ("[]...]" and "[^]...]" take the first ']' as text).
std::size_t skip_class(std::string_view p, std::size_t i) {
    std::size_t j = i + 1;
    if (j < p.size() && p[j] == '^') ++j;
    if (j < p.size() && p[j] == ']') ++j;
    for (; j < p.size(); ++j) {
        if (p[j] == '\\') {
            ++j;
        } else if (p[j] == ']') {
            return j;
        }
    }
    return p.size() - 1;
}

// Index of the last character of the group or class starting at i.
std::size_t skip_group(std::string_view p, std::size_t i) {
    int depth = 0;
    for (; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\') {
            ++i;
        } else if (c == '[') {
            i = skip_class(p, i);
            if (depth == 0) return i;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            depth = std::max(0, depth - 1);
            if (depth == 0) return i;  // a quantifier after it is met as a meta character
        }
    }
    return p.size() - 1;
}

bool has_top_level_alternation_or_flags(std::string_view p) {
    int depth = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\') {
            ++i;
        } else if (c == '[') {
            i = skip_class(p, i);
        } else if (c == '(') {
            // (?: (?= (?! are groups; anything else after "(?" changes how the rest matches.
            if (i + 2 < p.size() && p[i + 1] == '?' && p[i + 2] != ':' && p[i + 2] != '=' && p[i + 2] != '!') return true;
            ++depth;
        } else if (c == ')') {
            depth = std::max(0, depth - 1);
        } else if (c == '|' && depth == 0) {
            return true;
        }
    }
    return false;
}

bool is_quantifier(char c) { return c == '?' || c == '*' || c == '+' || c == '{'; }

}  // namespace

std::string required_literal(std::string_view p) {
    if (has_top_level_alternation_or_flags(p)) return {};
    std::string longest;
    std::string run;
    const auto flush = [&] {
        if (run.size() > longest.size()) longest = run;
        run.clear();
    };
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '(' || c == ')' || c == '[') {
            flush();
            i = skip_group(p, i);
            continue;
        }
        char literal = c;
        std::size_t next = i + 1;
        if (c == '\\') {
            // \d \w \s \b \1 ... are classes, assertions or references; \. \' \( are the character itself.
            if (i + 1 >= p.size() || std::isalnum(static_cast<unsigned char>(p[i + 1]))) {
                flush();
                ++i;
                continue;
            }
            literal = p[i + 1];
            next = i + 2;
        } else if (c == '{') {
            flush();  // a counted quantifier: its digits are not text
            const std::size_t close = p.find('}', i);
            i = close == std::string_view::npos ? p.size() : close;
            continue;
        } else if (c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == '}' || c == '|') {
            flush();
            continue;
        }
        if (next < p.size() && is_quantifier(p[next])) {
            flush();  // an optional or repeated character is not part of a fixed run
        } else {
            run += literal;
        }
        i = next - 1;
    }
    flush();
    return longest;
}

}  // namespace zbserve::steps
