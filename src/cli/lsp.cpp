// `joinup lsp`: the language server (src/lsp/) on standard input and output.
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "lsp/server.hpp"

namespace joinup::cli {

namespace {
constexpr option_spec lsp_options[] = {{"--stdio", false}};
}  // namespace

int run_lsp(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(lsp_options, false));
  const compile_options limits = read_limits(a).compile;
  if (a.help) {
    io.out << usage("lsp");
    return 0;
  }
  if (!a.operands.empty()) throw usage_error("lsp takes no operands (usage: joinup lsp [--stdio])");
  lsp::server_options options;
  options.compile = limits;
  // The protocol's exit code: 0 after shutdown and exit, 1 otherwise (both mean "stopped" here).
  return lsp::serve(io.in, io.out, options);
}

}  // namespace joinup::cli
