// SPDX-License-Identifier: GPL-2.0
#define KSPLICE_DEFINE_EXPORTS
#include "core/ksplice-api.h"
