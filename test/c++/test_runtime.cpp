// Tests of the TorchScript runtime without Python: build a small scripted module in C++, save it,
// load it through torchscript_runner and compare with the module's own forward; missing and
// corrupt files must raise model_load_error naming the path.
#include <triqs_nnsolver/runtime.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace {
  int failures = 0;

  void check(bool ok, std::string const &what) {
    std::cout << (ok ? "ok   " : "FAIL ") << what << '\n';
    if (!ok) ++failures;
  }

  template <typename F> std::string error_message_of(F &&f) {
    try {
      f();
    } catch (triqs_nnsolver::model_load_error const &e) { return e.what(); }
    return "";
  }

  // A two-input module in TorchScript: out = log(1 + exp(x @ W + p[:, :1])) (batch first).
  torch::jit::Module make_module() {
    torch::jit::Module m("TinyModel");
    torch::manual_seed(1234);
    m.register_parameter("weight", torch::randn({4, 3}), false);
    m.define(R"(
def forward(self, x, p):
    return torch.log1p(torch.exp(torch.matmul(x, self.weight) + p[:, 0:1]))
)");
    m.eval();
    return m;
  }
} // namespace

int main() {
  auto const model_path = std::string("tiny_model.pt");
  auto reference        = make_module();
  reference.save(model_path);

  triqs_nnsolver::torchscript_runner runner(model_path);
  check(runner.path() == model_path, "path() returns the loaded path");

  auto x        = torch::randn({5, 4});
  auto p        = torch::randn({5, 3});
  auto expected = reference.forward({x, p}).toTensor();
  auto result   = runner.forward({x, p});
  check(result.sizes() == expected.sizes(), "output has the batched shape (5, 3)");
  // Same module, same libtorch kernels, same inputs: identical bits expected.
  check(torch::equal(result, expected), "runner output equals the module's own forward exactly");

  auto single = runner.forward({x.slice(0, 0, 1), p.slice(0, 0, 1)});
  check(torch::allclose(single, expected.slice(0, 0, 1), 1e-6, 1e-6), "batch of one equals the first row (float32 eps)");

  triqs_nnsolver::torchscript_runner::set_num_threads(1);
  check(triqs_nnsolver::torchscript_runner::num_threads() == 1, "thread count can be set");

  auto missing = error_message_of([] { triqs_nnsolver::torchscript_runner r("no/such/model.pt"); });
  check(missing.find("no/such/model.pt") != std::string::npos, "a missing file raises model_load_error naming the path");

  { std::ofstream("corrupt_model.pt") << "this is not a TorchScript archive"; }
  auto corrupt = error_message_of([] { triqs_nnsolver::torchscript_runner r("corrupt_model.pt"); });
  check(corrupt.find("corrupt_model.pt") != std::string::npos, "a corrupt file raises model_load_error naming the path");

  bool wrong_inputs_rejected = false;
  try {
    (void)runner.forward({x});
  } catch (triqs_nnsolver::inference_error const &e) { wrong_inputs_rejected = std::string(e.what()).find(model_path) != std::string::npos; }
  check(wrong_inputs_rejected, "a wrong number of inputs raises inference_error naming the model");

  std::cout << (failures == 0 ? "all runtime tests passed" : "runtime tests FAILED") << '\n';
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
