// joinup: rules about public-service partnerships, evaluated against YAML/JSON descriptions.
// The one header C++ hosts include.
//
// Errors: loading and compiling throw joinup::error (joinup/diagnostic.hpp) with every diagnostic
// found; an evaluation that goes over its step or memory budget (evaluate_options::max_steps,
// max_memory_bytes) throws joinup::error with the code step-limit or memory-limit.
//
// Out of memory: every function of the C++ API (loading, compiling, evaluating, waivers, reports)
// lets std::bad_alloc pass through as it is, deliberately: the host knows what it was doing and
// what it can free, and turning the exception into a joinup::error would need memory itself. No
// function catches it, turns it into another exception or an "internal error", or changes an
// object it was given (a policy, a document or a result being made is dropped). The C ABI returns
// JOINUP_NO_MEMORY with a message saying what ran out while doing what; the command prints
// "joinup: out of memory while STAGE: ..." and exits 2 (docs/security.md).
#pragma once

#include "joinup/date.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/findings.hpp"
#include "joinup/policy.hpp"
#include "joinup/position.hpp"
#include "joinup/report.hpp"
#include "joinup/result.hpp"
#include "joinup/version.hpp"
#include "joinup/waivers.hpp"
