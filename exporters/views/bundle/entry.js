// The libraries the standalone page uses, exposed as one global (window.newsgraphVendor).
// Rebuild with `sh build.sh`; the output is committed as ../viewer/vendor.js.
import Graph from "graphology";
import Sigma from "sigma";
import { drawDiscNodeLabel, drawDiscNodeHover } from "sigma/rendering";
// Programs drawn without WebGL instancing: the CPU-only WebGL of a machine without a GPU
// (SwiftShader) pays per instance, and sigma's default disc and rectangle programs are
// instanced (one instance a node or edge).
import { EdgeLineProgram, EdgeRectangleProgram, NodePointProgram } from "sigma/rendering";

window.newsgraphVendor = Object.freeze({
  Graph,
  Sigma,
  drawDiscNodeLabel,
  drawDiscNodeHover,
  EdgeLineProgram,
  EdgeRectangleProgram,
  NodePointProgram,
});
