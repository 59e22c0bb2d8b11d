// pybind11 binding of the C++ TorchScript runtime: module triqs_nnsolver._runtime.
//
// Arrays cross the boundary as numpy arrays (float32, float64, int64, C-contiguous), so the module
// needs neither torch's Python bindings nor a matching pybind11 in torch. Inference runs with the
// GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <torch/version.h>
#include <triqs_nnsolver/runtime.hpp>

namespace py = pybind11;
using triqs_nnsolver::torchscript_runner;

namespace {

  at::ScalarType scalar_type_of(py::array const &a, std::size_t index) {
    if (py::isinstance<py::array_t<float>>(a)) return at::kFloat;
    if (py::isinstance<py::array_t<double>>(a)) return at::kDouble;
    if (py::isinstance<py::array_t<std::int64_t>>(a)) return at::kLong;
    throw py::type_error("input " + std::to_string(index) + " must be a float32, float64 or int64 array; got dtype "
                         + py::str(a.dtype()).cast<std::string>());
  }

  // A tensor that views the (C-contiguous) numpy buffer; valid while the array lives.
  at::Tensor as_tensor(py::array const &a, std::size_t index) {
    auto type = scalar_type_of(a, index);
    std::vector<std::int64_t> shape(a.shape(), a.shape() + a.ndim());
    return torch::from_blob(const_cast<void *>(a.data()), shape, at::TensorOptions().dtype(type));
  }

  py::array to_numpy(at::Tensor const &t) {
    auto shape = std::vector<py::ssize_t>(t.sizes().begin(), t.sizes().end());
    auto copy  = [&](auto tag) {
      using T = decltype(tag);
      py::array_t<T> out(shape);
      std::memcpy(out.mutable_data(), t.data_ptr<T>(), sizeof(T) * t.numel());
      return py::array(out);
    };
    switch (t.scalar_type()) {
      case at::kFloat: return copy(float{});
      case at::kDouble: return copy(double{});
      case at::kLong: return copy(std::int64_t{});
      default: throw py::type_error(std::string("the model returned an unsupported dtype: ") + c10::toString(t.scalar_type()));
    }
  }

  py::array forward(torchscript_runner &runner, std::vector<py::array> const &inputs) {
    std::vector<py::array> contiguous;
    std::vector<at::Tensor> tensors;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      contiguous.push_back(py::array::ensure(inputs[i], py::array::c_style));
      tensors.push_back(as_tensor(contiguous.back(), i));
    }
    at::Tensor result;
    {
      py::gil_scoped_release release;
      result = runner.forward(tensors);
    }
    return to_numpy(result);
  }

} // namespace

PYBIND11_MODULE(_runtime, m) {
  m.doc() = "C++ TorchScript runtime of triqs_nnsolver (libtorch, batched CPU inference, GIL released).";

  py::register_exception<triqs_nnsolver::model_load_error>(m, "ModelLoadError", PyExc_RuntimeError);
  py::register_exception<triqs_nnsolver::inference_error>(m, "InferenceError", PyExc_RuntimeError);

  py::class_<torchscript_runner>(m, "TorchScriptRunner")
     .def(py::init<std::string>(), py::arg("path"), "Load a TorchScript file; raises ModelLoadError naming the path.")
     .def("forward", &forward, py::arg("inputs"),
          "Run forward on a list of C-contiguous numpy arrays (batch first); returns a numpy array.")
     .def_property_readonly("path", &torchscript_runner::path)
     .def_static("get_num_threads", &torchscript_runner::num_threads)
     .def_static("set_num_threads", &torchscript_runner::set_num_threads, py::arg("n"));

  m.attr("torch_version") = TORCH_VERSION;
}
