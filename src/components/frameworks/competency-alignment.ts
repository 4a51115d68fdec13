import type { Competency, Domain, Framework } from './frameworks.model.js';

/** OB alignment (2.0 AlignmentObject / 3.0 Alignment) for one competency of a framework. */
export interface Alignment {
  targetName: string;
  targetUrl: string;
  targetFramework: string;
  targetCode: string;
  targetDescription?: string;
}

export function competencyAnchor(code: string): string {
  return `competence-${code.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

export function findCompetency(
  framework: Framework,
  code: string,
): { domain: Domain; competency: Competency } | undefined {
  for (const domain of framework.domains) {
    const competency = domain.competencies.find((c) => c.code === code);
    if (competency) return { domain, competency };
  }
  return undefined;
}

/**
 * The alignment for a competency: the target URL is the competency on this platform's public
 * framework page, a stable address that shows its label, domain and source.
 */
export function alignmentFor(
  framework: Framework,
  code: string,
  publicUrl: string,
): Alignment | undefined {
  const found = findCompetency(framework, code);
  if (!found) return undefined;
  return {
    targetName: found.competency.label,
    targetUrl: `${publicUrl}/referentiels/${encodeURIComponent(framework.id)}#${competencyAnchor(code)}`,
    targetFramework: framework.name,
    targetCode: code,
    targetDescription: `${found.domain.code} — ${found.domain.label}`,
  };
}

export function competencyCount(framework: Framework): number {
  return framework.domains.reduce((n, d) => n + d.competencies.length, 0);
}
