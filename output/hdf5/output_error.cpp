// The output layer's error, apart from HDF5 (the browser lab's engine, tools/lab, builds result
// rows without it).
#include "output/hdf5/output_error.hpp"

#include <utility>

namespace interdep {

OutputError::OutputError(std::filesystem::path path, std::string operation, std::string detail)
    : std::runtime_error(path.string() + ": " + operation + ": " + detail),
      path_(std::move(path)),
      operation_(std::move(operation)),
      detail_(std::move(detail)) {}

}  // namespace interdep
