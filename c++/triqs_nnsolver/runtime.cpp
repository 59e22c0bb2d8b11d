#include "./runtime.hpp"

#include <filesystem>

#include <ATen/Parallel.h>

namespace triqs_nnsolver {

  namespace {
    torch::jit::Module load_module(std::string const &path) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec))
        throw model_load_error("model file not found (or not a regular file): '" + path + "'");
      try {
        auto module = torch::jit::load(path, torch::kCPU);
        module.eval();
        return module;
      } catch (c10::Error const &err) {
        throw model_load_error("cannot load '" + path + "' as a TorchScript model: " + err.what_without_backtrace());
      } catch (std::exception const &err) {
        throw model_load_error("cannot load '" + path + "' as a TorchScript model: " + err.what());
      }
    }
  } // namespace

  torchscript_runner::torchscript_runner(std::string path) : path_(std::move(path)), module_(load_module(path_)) {}

  at::Tensor torchscript_runner::forward(std::vector<at::Tensor> const &inputs) {
    c10::InferenceMode guard;
    std::vector<c10::IValue> arguments(inputs.begin(), inputs.end());
    c10::IValue result;
    try {
      result = module_.forward(arguments);
    } catch (c10::Error const &err) {
      throw inference_error("forward of model '" + path_ + "' failed: " + err.what_without_backtrace());
    } catch (std::exception const &err) {
      throw inference_error("forward of model '" + path_ + "' failed: " + err.what());
    }
    if (!result.isTensor())
      throw inference_error("forward of model '" + path_ + "' must return a Tensor; it returned " + result.tagKind());
    return result.toTensor().contiguous();
  }

  int torchscript_runner::num_threads() { return at::get_num_threads(); }

  void torchscript_runner::set_num_threads(int n) {
    if (n < 1) throw std::invalid_argument("num_threads must be >= 1; got " + std::to_string(n));
    at::set_num_threads(n);
  }

} // namespace triqs_nnsolver
