#include "joinup/report.hpp"
namespace joinup {
std::string to_html(const check_results&, const std::vector<rule_info>&) { return {}; }
}
