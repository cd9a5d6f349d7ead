// joinup: rules about public-service partnerships, evaluated against YAML/JSON descriptions.
// The one header C++ hosts include.
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
