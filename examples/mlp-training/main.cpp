// Trains a 2-layer MLP (matmul + bias + relu, softmax cross-entropy) with
// SGD on a synthetic 3-class data set. The forward + backward graph is
// built and compiled once; each step calls the compiled function and updates
// the weights on the host, in place.
#include "graft/Graft.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>

using namespace graft;

namespace {

constexpr int64_t kSamples = 600, kFeatures = 2, kHidden = 64, kClasses = 3;
constexpr int kSteps = 400, kReportEvery = 50;
constexpr float kLearningRate = 0.05f;

/// Three Gaussian blobs on a circle; labels one-hot.
void makeData(Tensor &points, Tensor &labels) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  for (int64_t i = 0; i < kSamples; ++i) {
    int64_t c = i % kClasses;
    float angle = 2.0f * float(M_PI) * c / kClasses;
    points.at<float>({i, 0}) = 2.0f * std::cos(angle) + noise(rng);
    points.at<float>({i, 1}) = 2.0f * std::sin(angle) + noise(rng);
    labels.at<float>({i, c}) = 1.0f;
  }
}

} // namespace

int main() {
  // The model: loss and its gradients with respect to the four parameters.
  Graph graph("train_step");
  Value x = graph.input("x", {kSamples, kFeatures});
  Value y = graph.input("y", {kSamples, kClasses});
  Value w1 = graph.input("w1", {kFeatures, kHidden});
  Value b1 = graph.input("b1", {kHidden});
  Value w2 = graph.input("w2", {kHidden, kClasses});
  Value b2 = graph.input("b2", {kClasses});
  Value hidden = relu(matmul(x, w1) + b1);
  Value logits = matmul(hidden, w2) + b2;
  Value loss = -mean(sum(y * logSoftmax(logits, 1), {1}));
  Expected<std::vector<Value>> grads = grad(loss, {w1, b1, w2, b2});
  if (!grads) {
    std::cerr << grads.error().message() << "\n";
    return 1;
  }
  graph.output(loss);
  graph.output(*grads);
  graph.output(logits);

  Engine engine;
  Expected<Function> step = engine.compile(graph);
  if (!step) {
    std::cerr << step.error().message() << "\n";
    return 1;
  }

  Tensor points = Tensor::zeros({kSamples, kFeatures});
  Tensor labels = Tensor::zeros({kSamples, kClasses});
  makeData(points, labels);
  std::vector<Tensor> params = {
      Tensor::randn({kFeatures, kHidden}, 1), Tensor::zeros({kHidden}),
      Tensor::randn({kHidden, kClasses}, 2), Tensor::zeros({kClasses})};
  // Small output weights keep the initial logits near 0 (loss ~ log 3).
  for (int64_t i = 0; i < params[2].numel(); ++i)
    params[2].data<float>()[i] *= 0.1f;

  // Outputs are allocated once and rewritten by every call.
  std::vector<Tensor> outputs;
  for (const TensorSpec &spec : step->outputs())
    outputs.push_back(Tensor::empty(spec.shape, spec.dtype));

  float firstLoss = 0, lastLoss = 0;
  for (int s = 1; s <= kSteps; ++s) {
    std::vector<Tensor> inputs = {points, labels};
    inputs.insert(inputs.end(), params.begin(), params.end());
    if (Error err = step->call(inputs, outputs)) {
      std::cerr << err.message() << "\n";
      return 1;
    }
    lastLoss = outputs[0].data<float>()[0];
    if (s == 1)
      firstLoss = lastLoss;
    for (size_t p = 0; p < params.size(); ++p)
      for (int64_t i = 0; i < params[p].numel(); ++i)
        params[p].data<float>()[i] -=
            kLearningRate * outputs[1 + p].data<float>()[i];
    if (s == 1 || s % kReportEvery == 0)
      std::printf("step %3d/%d  loss %.4f\n", s, kSteps, lastLoss);
  }

  const Tensor &finalLogits = outputs.back();
  int64_t correct = 0;
  for (int64_t i = 0; i < kSamples; ++i) {
    int64_t best = 0;
    for (int64_t c = 1; c < kClasses; ++c)
      if (finalLogits.at({i, c}) > finalLogits.at({i, best}))
        best = c;
    correct += labels.at({i, best}) == 1.0;
  }
  std::printf("loss fell from %.4f to %.4f (%.1fx)\n", firstLoss, lastLoss,
              firstLoss / lastLoss);
  std::printf("accuracy %.1f%%\n", 100.0 * correct / kSamples);
  return lastLoss * 10 <= firstLoss ? 0 : 1;
}
