/**
 * Who a bearer token belongs to. The admin API asks a PrincipalResolver; today only the
 * master key resolves (to the owner). Virtual, admin and viewer keys plug in as further
 * implementations combined with `chainPrincipalResolvers`, wired in the composition root.
 */
import { MASTER_PRINCIPAL, type Principal } from '../contracts/principal.ts';
import { keyVerifier } from './master-key.ts';

export interface PrincipalResolver {
  /**
   * The principal of `bearerToken` (the raw token of `Authorization: Bearer …`), or null
   * when this resolver does not know it. Never throws for an unknown or malformed token.
   */
  resolve(bearerToken: string): Promise<Principal | null>;
}

/** Resolves the master key (compared in constant time with its SHA-256) to the owner. */
export function createMasterKeyResolver(masterKeyHash: string): PrincipalResolver {
  const isMasterKey = keyVerifier(masterKeyHash);
  return {
    resolve: (token) => Promise.resolve(isMasterKey(token) ? MASTER_PRINCIPAL : null),
  };
}

/** The first principal any resolver returns, asking them in order. */
export function chainPrincipalResolvers(
  resolvers: readonly PrincipalResolver[],
): PrincipalResolver {
  return {
    async resolve(token) {
      for (const resolver of resolvers) {
        const principal = await resolver.resolve(token);
        if (principal !== null) return principal;
      }
      return null;
    },
  };
}
