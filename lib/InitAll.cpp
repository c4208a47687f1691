//===- InitAll.cpp - dialect and pass registration for weft tools ----------===//
#include "weft/InitAllDialects.h"
#include "weft/InitAllPasses.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/ArmSME/IR/ArmSME.h"
#include "mlir/Dialect/ArmSVE/IR/ArmSVEDialect.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

#include "weft/Conversion/TileToCPU/CPUCodegen.h"
#include "weft/Conversion/TileToCPU/Passes.h"
#include "weft/Conversion/WeftToTile/Passes.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Dialect/Tile/IR/TileOps.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Schedule/Passes.h"
#include "weft/Target/Arm/Passes.h"
#include "weft/Target/AMD/Passes.h"
#include "weft/Target/NVIDIA/Passes.h"

void mlir::weft::registerAllDialects(DialectRegistry &registry) {
  registry.insert<weft::WeftDialect, tile::TileDialect, pipe::PipeDialect>();
  registry.insert<func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  scf::SCFDialect, cf::ControlFlowDialect,
                  tensor::TensorDialect, memref::MemRefDialect,
                  linalg::LinalgDialect, affine::AffineDialect,
                  bufferization::BufferizationDialect, index::IndexDialect,
                  quant::QuantDialect, vector::VectorDialect, gpu::GPUDialect,
                  nvgpu::NVGPUDialect, NVVM::NVVMDialect,
                  amdgpu::AMDGPUDialect, ROCDL::ROCDLDialect,
                  arm_neon::ArmNeonDialect, arm_sve::ArmSVEDialect,
                  arm_sme::ArmSMEDialect, LLVM::LLVMDialect>();
  mlir::registerAllExtensions(registry);
  weft::registerCPUCodegenInterfaces(registry);
}

void mlir::weft::registerAllPasses() {
  mlir::registerAllPasses();
  weft::registerWeftPasses();
  weft::registerWeftGraphFusionPipeline();
  weft::registerSchedulePasses();
  weft::registerWeftToTilePasses();
  weft::registerTileToCPUPasses();
  weft::registerCPUPipelines();
  weft::arm::registerArmPasses();
  weft::nvidia::registerNVIDIAPasses();
  weft::nvidia::registerLowerToNVVMPipeline();
  weft::amd::registerAMDPasses();
  weft::amd::registerLowerToROCDLPipeline();
}
