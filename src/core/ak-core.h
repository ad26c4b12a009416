/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-types.h"
#include "ak-error.h"
#include "ak-token.h"
#include "ak-token-builder.h"
#include "ak-duration.h"
#include "ak-clock.h"
#include "ak-expiry.h"
#include "ak-idle-guard.h"
#include "ak-token-text.h"
#include "ak-token-check.h"
#include "ak-token-history.h"
#include "ak-bench.h"
#include "ak-token-request.h"
#include "ak-token-server-check.h"
#include "ak-token-server.h"
#include "ak-console-projects.h"
