// SPDX-License-Identifier: GPL-2.0
#include "create/module-sign.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "create/build-util.h"
#include "create/tree-prepare.h"

static char *sign_file_path(const struct module_signer *s)
{
	return build_xasprintf("%s/scripts/sign-file", s->kdir);
}

/* CONFIG_MODULE_SIG_HASH ("sha256", ...); NULL if the config has no module signing. */
static char *config_hash(const struct module_signer *s)
{
	char *text = NULL, *hash = NULL;
	size_t len;

	if (build_read_file(s->config, &text, &len))
		return NULL;
	if (tree_config_enabled(text, "CONFIG_MODULE_SIG"))
		hash = tree_config_value(text, "CONFIG_MODULE_SIG_HASH");
	free(text);
	return hash;
}

int module_signer_check(const struct module_signer *s)
{
	char *tool = sign_file_path(s), *hash = config_hash(s);
	int ret = -1;

	if (access(s->key, R_OK) && !strstr(s->key, "pkcs11:"))
		build_error("--sign-key %s: cannot read it", s->key);
	else if (access(s->cert, R_OK))
		build_error("--sign-cert %s: cannot read it", s->cert);
	else if (!hash)
		build_error("--sign-key: the kernel's config %s has no module signing (CONFIG_MODULE_SIG)",
			    s->config);
	else if (access(tool, X_OK))
		build_error("--sign-key: no %s to sign with (a kbuild tree of a kernel with "
			    "CONFIG_MODULE_SIG has one)", tool);
	else
		ret = 0;
	free(tool);
	free(hash);
	return ret;
}

int module_sign(const struct module_signer *s, const char *ko)
{
	char *tool = sign_file_path(s), *hash = config_hash(s);
	char *argv[] = { tool, hash, (char *)s->key, (char *)s->cert, (char *)ko, NULL };
	int ret = hash ? build_run(argv, &(struct build_run_opts){ 0 }) : -1;

	if (ret)
		build_error("signing %s with %s failed", ko, tool);
	free(tool);
	free(hash);
	return ret ? -1 : 0;
}
