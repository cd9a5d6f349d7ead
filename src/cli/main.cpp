// The `joinup` executable: connects the process's streams and terminal to joinup::cli::run.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  // Asked before anything is opened, which could take the number of a closed standard input.
  const bool in_closed = fcntl(STDIN_FILENO, F_GETFD) == -1;
  try {
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const char* no_color = std::getenv("NO_COLOR");
    joinup::cli::io io{std::cin, std::cout, std::cerr};
    io.in_is_tty = isatty(STDIN_FILENO) == 1;
    io.out_is_tty = isatty(STDOUT_FILENO) == 1;
    io.err_is_tty = isatty(STDERR_FILENO) == 1;
    io.no_color = no_color && *no_color;
    io.in_closed = in_closed;
    const int code = joinup::cli::run(args, io);
    std::cout.flush();
    return code;
  } catch (const std::exception& e) {  // run() catches everything; this guards the setup around it
    std::cerr << "joinup: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "joinup: internal error\n";
  }
  return 2;
}
