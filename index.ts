// Entry point for the Pulumi CLI. Pulumi calls the exported function and makes its result the stack
// outputs; tests and the offline plan call the same function under the mock runtime.
import { main } from "./program/main";

export = main;
