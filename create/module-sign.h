/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signing the update's modules for hosts that enforce module signatures
 * (Secure Boot, module.sig_enforce=1): kbuild's own scripts/sign-file of the
 * kernel the update is built against, with the digest the kernel's config
 * names (CONFIG_MODULE_SIG_HASH), so the kernel checks them as it checks
 * its own modules.
 */
#ifndef KSPLICE_CREATE_MODULE_SIGN_H
#define KSPLICE_CREATE_MODULE_SIGN_H

struct module_signer {
	const char *key;	/* private key (PEM), or a PKCS#11 URI sign-file takes */
	const char *cert;	/* its X.509 certificate (PEM or DER) */
	const char *kdir;	/* the kbuild tree: scripts/sign-file */
	const char *config;	/* the kernel's .config */
};

/*
 * Check, before any build, that the signer can work: the key and the
 * certificate are readable, sign-file is there, and the config has module
 * signing. 0, or -1 after printing why.
 */
int module_signer_check(const struct module_signer *s);

/* Sign @ko in place (the signature is appended); 0, or -1 after printing why. */
int module_sign(const struct module_signer *s, const char *ko);

#endif
