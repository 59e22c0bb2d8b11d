// TorchScript runtime of triqs_nnsolver: load an exported model with libtorch and run batched inference.
//
// This is the compiled inference path of the package (layer "runtime"). It knows nothing about
// physics: it loads a TorchScript file, runs `forward` on a list of input tensors and returns the
// output tensor. No Python is needed; the pybind11 module `triqs_nnsolver._runtime` wraps it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <torch/script.h>

namespace triqs_nnsolver {

  /// Raised when a model file is missing, unreadable or not a TorchScript archive. The message names the path.
  class model_load_error : public std::runtime_error {
    public:
    using std::runtime_error::runtime_error;
  };

  /// Raised when `forward` is called with inputs the model rejects, or returns something other than a tensor.
  class inference_error : public std::runtime_error {
    public:
    using std::runtime_error::runtime_error;
  };

  /// A loaded TorchScript model, in evaluation mode, on the CPU.
  class torchscript_runner {
    public:
    /// Load the TorchScript file at `path`. Throws model_load_error naming the path if that fails.
    explicit torchscript_runner(std::string path);

    /// Run `forward(inputs...)` without autograd. Inputs are batched tensors (batch first);
    /// the result is the output tensor, contiguous. Throws inference_error on failure.
    [[nodiscard]] at::Tensor forward(std::vector<at::Tensor> const &inputs);

    /// The path the model was loaded from.
    [[nodiscard]] std::string const &path() const { return path_; }

    /// Number of intra-op threads libtorch uses in this process (shared with torch in Python).
    [[nodiscard]] static int num_threads();

    /// Set the number of intra-op threads (n >= 1). Throws std::invalid_argument otherwise.
    static void set_num_threads(int n);

    private:
    std::string path_;
    torch::jit::Module module_;
  };

} // namespace triqs_nnsolver
