//===- SliceSubsetModel.h - Subset model of tensor slices -------*- C++ -*-===//
//
// Declares Graft's SubsetOpInterface model of tensor.extract_slice,
// tensor.insert_slice and tensor.parallel_insert_slice.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_INITALL_SLICESUBSETMODEL_H
#define GRAFT_INITALL_SLICESUBSETMODEL_H

namespace mlir {
class DialectRegistry;

namespace graft {

/// Attaches the model. It must be registered before upstream's models of
/// these ops (`linalg::registerAllDialectInterfaceImplementations`): the
/// first model of an interface attached to an op is the one kept.
void registerSliceSubsetModel(DialectRegistry &registry);

} // namespace graft
} // namespace mlir

#endif // GRAFT_INITALL_SLICESUBSETMODEL_H
