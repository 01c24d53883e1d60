// The libraries the standalone page uses, exposed as one global (window.newsgraphVendor).
// Rebuild with `sh build.sh`; the output is committed as ../viewer/vendor.js.
import Graph from "graphology";
import Sigma from "sigma";
import { drawDiscNodeLabel, drawDiscNodeHover } from "sigma/rendering";

window.newsgraphVendor = Object.freeze({ Graph, Sigma, drawDiscNodeLabel, drawDiscNodeHover });
