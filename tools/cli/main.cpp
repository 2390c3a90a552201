// interdep: the command-line program. It finds the command named first on the command line in
// the table (tools/cli/commands.cpp) and runs it; tools/cli/command.cpp parses the options and
// maps errors to exit statuses.
// Exit status: 0 success, 2 bad input (scenario or command line), 1 other failures,
// 130 interrupted.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef INTERDEP_HAVE_MPI
#include <mpi.h>
#endif

#include "engine/files/user_file.hpp"
#include "engine/run/version.hpp"
#include "engine/scenario/name_match.hpp"
#include "engine/text/control_chars.hpp"
#include "models/interdependence/matrix_product.hpp"
#include "output/hdf5/read_fault.hpp"
#include "tools/cli/commands.hpp"

namespace cli = interdep::cli;

#ifdef INTERDEP_HAVE_MPI
// MPI is started only when the program runs under mpirun (OpenMPI sets OMPI_COMM_WORLD_SIZE),
// so that a plain `interdep run` never pays for, or depends on, an MPI runtime.
struct MpiSession {
  MpiSession(int& argc, char**& argv) {
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE")) {
      int provided = 0;
      MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
      active = true;
    }
  }
  ~MpiSession() {
    if (active) MPI_Finalize();
  }
  bool active = false;
};
#endif

int main(int argc, char** argv) {
#ifdef INTERDEP_HAVE_MPI
  MpiSession mpi(argc, argv);
#else
  if (std::getenv("OMPI_COMM_WORLD_SIZE") &&
      std::string(std::getenv("OMPI_COMM_WORLD_SIZE")) != "1") {
    std::cerr << "interdep: started by mpirun, but this build has no MPI (install libopenmpi-dev "
                 "and rebuild)\n";
    return cli::kExitFailure;
  }
#endif
  // A command's standard output refused (a full disk) is told with why, however long before
  // the command's end it failed.
  cli::keep_standard_output_errors();
  // A damaged result file that makes HDF5 fault is bad input (exit 2), not a crash.
  interdep::h5::exit_on_read_fault();
  // Ctrl-C, kill, a closed terminal or a pipe whose reader has ended leave no temporary file of
  // an output behind.
  interdep::h5::remove_temporaries_on_termination();
  // A file-size limit (ulimit -f) reached: the write fails (EFBIG) and the command reports it
  // and removes its temporary file, instead of being killed by SIGXFSZ with both left undone.
  std::signal(SIGXFSZ, SIG_IGN);
  // A result written over a file the command reads (a base scenario, a design or observed
  // table) is refused before any work.
  interdep::files::remember_inputs();
  try {  // a product kernel asked for that this CPU does not run, before any work
    interdep::kernel_from_environment();
  } catch (const std::invalid_argument& e) {
    std::cerr << "interdep: " << interdep::printable(e.what()) << "\n";
    return cli::kExitBadInput;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = "interdep";
  for (const auto& a : args) command_line += " " + a;
#ifdef INTERDEP_HAVE_MPI
  // Only sweep and calibrate share their work among MPI ranks: anything else under mpirun (a
  // command, --help, --version, a mistyped command) would run whole in every rank, each writing
  // the same outputs and messages at once. Rank 0 says so, once.
  if (mpi.active && (args.empty() || (args[0] != "sweep" && args[0] != "calibrate"))) {
    int ranks = 1, rank = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (ranks > 1) {
      const std::string what = args.empty() ? std::string("interdep without a command")
                                            : "'interdep " + interdep::printable(args[0]) + "'";
      if (rank == 0)
        std::cerr
            << ("interdep: only sweep and calibrate share their work among MPI ranks: under "
                "mpirun -np " +
                std::to_string(ranks) + " every rank would run " + what +
                " whole and write the same outputs; run it without mpirun\n");
      return cli::kExitBadInput;
    }
  }
#endif
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::cout << cli::top_level_help();
    return cli::finish_standard_output(args.empty() ? cli::kExitBadInput : cli::kExitOk);
  }
  if ((args[0] == "--version" || args[0] == "-V") && args.size() > 1) {
    std::cerr << "interdep: " << args[0] << " takes nothing after it (got '"
              << interdep::printable(args[1]) << "')\n";
    return cli::kExitBadInput;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "interdep " << interdep::kEngineVersion << "\n"
              << "matrix products on the " << interdep::kernel_name(interdep::product_kernel())
              << " kernel (the same bits on every kernel)\n";
    return cli::finish_standard_output(cli::kExitOk);
  }
  const cli::Command* command = cli::find_command(args[0]);
  if (!command) {
    // A mistyped command gets the closest one; a file where the command belongs, the command
    // that reads it.
    std::string hint = interdep::did_you_mean(args[0], cli::command_names());
    const std::string_view word = args[0];
    if (hint.empty() && word.ends_with(".toml"))
      hint = " (did you mean 'interdep run " + args[0] + "'?)";
    if (hint.empty() && word.ends_with(".h5"))
      hint = " (did you mean 'interdep inspect " + args[0] + "'?)";
    if (!hint.empty())
      return cli::refuse_usage("unknown command '" + args[0] + "'" + hint +
                               "; 'interdep --help' lists the commands");
    return cli::refuse_usage("unknown command '" + args[0] + "'\n\n" + cli::top_level_help());
  }
  args.erase(args.begin());
  cli::limit_world_size(cli::memory_limit({}));
  return cli::run_command(*command, args, command_line);
}
