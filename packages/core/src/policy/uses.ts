/**
 * The uses an AI developer may make of a work, and how they nest.
 *
 * DESIGN §3: `ai-train` (training any model), `ai-train-genai` (training generative models), `ai-input` (retrieval,
 * grounding, RAG at inference), `ai-index` (building AI-facing indexes), `search` (classic search indexing).
 * Two group words name several uses at once: `ai-all` (every AI use: RSL 1.0 `ai-all`, TDMRep's "all TDM") and
 * `all` (everything, search included: RSL 1.0 `all`).
 *
 * Restrictions flow down, permissions do not: refusing (or pricing) `ai-train` refuses (or prices)
 * `ai-train-genai` too, but allowing `ai-train` says nothing about `ai-train-genai`. A permission names exactly what
 * it permits; under permission-first nothing is cleared that was not named.
 */

/** Every use, in display order. */
export const USES = ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index', 'search'] as const;

/** A use of a work by an AI developer. */
export type Use = (typeof USES)[number];

/** Words that name several uses at once. */
export const USE_GROUPS = ['ai-all', 'all'] as const;

/** A word naming several uses at once. */
export type UseGroup = (typeof USE_GROUPS)[number];

/** What a statement may be about: one use, or a group of uses. */
export type UseScope = Use | UseGroup;

/** Every scope word, uses first. */
export const USE_SCOPES: readonly UseScope[] = [...USES, ...USE_GROUPS];

/** The uses each use contains (direct and indirect). `ai-train` contains `ai-train-genai`. */
const NARROWER: { readonly [U in Use]: readonly Use[] } = {
  'ai-train': ['ai-train-genai'],
  'ai-train-genai': [],
  'ai-input': [],
  'ai-index': [],
  search: [],
};

const GROUP_MEMBERS: { readonly [G in UseGroup]: readonly Use[] } = {
  'ai-all': ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index'],
  all: USES,
};

/** True when `value` is one of the five uses. */
export function isUse(value: unknown): value is Use {
  return typeof value === 'string' && (USES as readonly string[]).includes(value);
}

/** True when `value` is a use or a group word. */
export function isUseScope(value: unknown): value is UseScope {
  return typeof value === 'string' && (USE_SCOPES as readonly string[]).includes(value);
}

function inDisplayOrder(uses: Iterable<Use>): readonly Use[] {
  const set = new Set(uses);
  return USES.filter((u) => set.has(u));
}

/**
 * The uses a statement about `scope` permits: exactly the named use, or a group's members.
 *
 * @example
 * ```ts
 * usesPermittedBy('ai-train') // ['ai-train']
 * usesPermittedBy('ai-all')   // ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index']
 * ```
 */
export function usesPermittedBy(scope: UseScope): readonly Use[] {
  return PERMITTED[scope];
}

/**
 * The uses a refusal or a price on `scope` restricts: the named uses and every use they contain.
 *
 * @example
 * ```ts
 * usesRestrictedBy('ai-train') // ['ai-train', 'ai-train-genai']
 * usesRestrictedBy('all')      // all five uses
 * ```
 */
export function usesRestrictedBy(scope: UseScope): readonly Use[] {
  return RESTRICTED[scope];
}

// Both tables are computed once: evaluation asks them for every statement of every item.
const PERMITTED: { readonly [S in UseScope]: readonly Use[] } = Object.freeze(
  Object.fromEntries(
    USE_SCOPES.map((scope) => [scope, Object.freeze(isUse(scope) ? [scope] : [...GROUP_MEMBERS[scope]])]),
  ),
) as { readonly [S in UseScope]: readonly Use[] };

const RESTRICTED: { readonly [S in UseScope]: readonly Use[] } = Object.freeze(
  Object.fromEntries(
    USE_SCOPES.map((scope) => [
      scope,
      Object.freeze(inDisplayOrder(PERMITTED[scope].flatMap((u) => [u, ...NARROWER[u]]))),
    ]),
  ),
) as { readonly [S in UseScope]: readonly Use[] };

/** The uses that contain `use` (its broader uses), not including itself. `ai-train-genai` → `['ai-train']`. */
export function broaderUses(use: Use): readonly Use[] {
  return USES.filter((u) => NARROWER[u].includes(use));
}

/** Plain-language names and descriptions of each use, in English and Korean, for people (CLI, web app, docs). */
export const USE_INFO: {
  readonly [U in Use]: {
    readonly title: { readonly en: string; readonly ko: string };
    readonly description: { readonly en: string; readonly ko: string };
  };
} = {
  'ai-train': {
    title: { en: 'AI training', ko: 'AI 학습' },
    description: {
      en: 'Using the work to train or fine-tune any AI model, generative or not (classifiers, recommenders, detectors included).',
      ko: '생성형이든 아니든 모든 AI 모델(분류·추천·탐지 모델 포함)을 학습하거나 미세 조정하는 데 저작물을 이용하는 것.',
    },
  },
  'ai-train-genai': {
    title: { en: 'Generative AI training', ko: '생성형 AI 학습' },
    description: {
      en: 'Using the work to train a model that generates text, images, sound or video. Refusing AI training refuses this too.',
      ko: '글·이미지·소리·영상을 만들어 내는 모델을 학습하는 데 저작물을 이용하는 것. AI 학습을 거부하면 이것도 거부됩니다.',
    },
  },
  'ai-input': {
    title: { en: 'AI input (RAG)', ko: 'AI 입력(검색 증강 생성, RAG)' },
    description: {
      en: 'Giving the work to an AI system when it answers: retrieval, grounding, retrieval-augmented generation, AI summaries.',
      ko: 'AI가 답변할 때 저작물을 입력으로 쓰는 것: 검색, 근거 제시(그라운딩), 검색 증강 생성, AI 요약.',
    },
  },
  'ai-index': {
    title: { en: 'AI index', ko: 'AI 색인' },
    description: {
      en: "Storing the work in an AI system's own index or retrieval database (embeddings, vector stores).",
      ko: 'AI 시스템 자체의 색인이나 검색용 데이터베이스(임베딩, 벡터 저장소)에 저작물을 저장하는 것.',
    },
  },
  search: {
    title: { en: 'Search indexing', ko: '검색 색인' },
    description: {
      en: 'Classic search: indexing the work to show links and short excerpts, never AI-generated summaries.',
      ko: '전통적인 검색: 링크와 짧은 발췌를 보여 주기 위해 색인하는 것. AI가 만든 요약은 포함하지 않습니다.',
    },
  },
};
