import type { Standing } from './combine.js';
import type { Use } from './uses.js';

/** What a verdict says about one item for one use under one regime (DESIGN §3). */
export const VERDICT_OUTCOMES = ['cleared', 'blocked', 'license-required', 'unknown'] as const;

/** The outcome of a verdict. */
export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number];

/** Why a regime reached its outcome: a stable code, explained in `REASON_INFO`. */
export type ReasonCode =
  | 'refused-by-rights-holder'
  | 'licence-held'
  | 'licence-offered'
  | 'allowed-by-rights-holder'
  | 'no-permission-found'
  | 'no-reservation-found'
  | 'pay-later-tariff'
  | 'pay-later-unidentified'
  | 'jp-proviso-refusal'
  | 'jp-licensed-market'
  | 'jp-non-enjoyment'
  | 'jp-outside-exception'
  | 'jp-search-47-5';

/** Points a regime wants a person to look at, even when the item is cleared. */
export type RegimeFlag =
  'jp-proviso' | 'jp-enjoyment-purpose-risk' | 'jp-rag-outside-30-4' | 'pay-later-remuneration-owed';

/** What a regime does with one standing: the outcome, why, and whether money accrues after use. */
export interface RegimeRule {
  readonly outcome: VerdictOutcome;
  readonly reason: ReasonCode;
  /** `statutory-tariff`: using the item accrues remuneration at the operator's statutory tariff. */
  readonly accrues?: 'statutory-tariff';
  readonly flags?: readonly RegimeFlag[];
}

/** What a regime does with every standing. The compiler checks every standing has a rule. */
export type RegimeTable = { readonly [S in Standing]: RegimeRule };

/** The regime identifiers. */
export const REGIME_IDS = ['permission-first', 'opt-out', 'use-first-pay-later', 'jp-30-4'] as const;

/** A regime identifier. */
export type RegimeId = (typeof REGIME_IDS)[number];

/** Text in the two languages heoga's users read. */
export interface LocalisedText {
  readonly en: string;
  readonly ko: string;
}

/**
 * A legal regime as data: a plain-language description of the law it models, and a table of what each standing
 * yields, with per-use tables where the law treats uses differently. A new regime is a new entry and its tests.
 */
export interface Regime {
  readonly id: RegimeId;
  readonly title: LocalisedText;
  readonly jurisdiction: string;
  readonly law: LocalisedText;
  readonly rules: RegimeTable;
  readonly rulesByUse?: { readonly [U in Use]?: RegimeTable };
}

const BLOCK_REFUSED: RegimeRule = { outcome: 'blocked', reason: 'refused-by-rights-holder' };
const CLEAR_LICENSED: RegimeRule = { outcome: 'cleared', reason: 'licence-held' };
const REQUIRE_LICENCE: RegimeRule = { outcome: 'license-required', reason: 'licence-offered' };
const CLEAR_ALLOWED: RegimeRule = { outcome: 'cleared', reason: 'allowed-by-rights-holder' };

const JP_TRAINING: RegimeTable = {
  refused: { outcome: 'blocked', reason: 'jp-proviso-refusal', flags: ['jp-proviso'] },
  licensed: CLEAR_LICENSED,
  offered: { outcome: 'license-required', reason: 'jp-licensed-market', flags: ['jp-proviso'] },
  allowed: CLEAR_ALLOWED,
  unknown: { outcome: 'cleared', reason: 'jp-non-enjoyment' },
};

/** Every regime heoga can apply. */
export const REGIMES: { readonly [R in RegimeId]: Regime } = {
  'permission-first': {
    id: 'permission-first',
    title: { en: 'Permission first', ko: '사전 허락제' },
    jurisdiction:
      'Copyright as the right to authorise in advance (Berne Convention Art. 9; Korean Copyright Act Art. 46)',
    law: {
      en:
        'Copyright is the right to grant or refuse permission in advance. Nothing may be used without an explicit ' +
        'allow or a licence held; a work whose rights holders have said nothing is not cleared, and neither is an ' +
        'item of unknown provenance. This is what Korean creators’ and publishers’ organisations ask for.',
      ko:
        '저작권은 이용을 미리 허락하거나 거부할 권리입니다. 명시적인 허용이나 보유한 이용허락 없이는 아무것도 이용할 수 ' +
        '없습니다. 권리자가 아무 의사도 밝히지 않은 저작물이나 출처를 알 수 없는 항목은 이용 가능으로 판정되지 않습니다. ' +
        '한국의 창작자·출판 단체들이 요구하는 원칙입니다.',
    },
    rules: {
      refused: BLOCK_REFUSED,
      licensed: CLEAR_LICENSED,
      offered: REQUIRE_LICENCE,
      allowed: CLEAR_ALLOWED,
      unknown: { outcome: 'unknown', reason: 'no-permission-found' },
    },
  },
  'opt-out': {
    id: 'opt-out',
    title: { en: 'Opt-out', ko: '옵트아웃제' },
    jurisdiction: 'EU DSM Directive 2019/790 Art. 4(3); EU AI Act Art. 53(1)(c)',
    law: {
      en:
        'Text and data mining is allowed unless the rights holder has expressly reserved it in a machine-readable ' +
        'way. Any refusal found in the registry, a site signal or embedded metadata blocks the use; a licence offer ' +
        'is a reservation that a licence lifts; with no reservation found, the item is cleared.',
      ko:
        '권리자가 기계 판독 가능한 방식으로 명시적으로 유보하지 않는 한 텍스트·데이터 마이닝이 허용됩니다. 레지스트리, ' +
        '사이트 신호, 내장 메타데이터 어디에서든 거부가 발견되면 이용할 수 없고, 유료 이용허락 제안은 이용허락을 받으면 ' +
        '풀리는 유보입니다. 유보가 발견되지 않으면 이용 가능으로 판정됩니다.',
    },
    rules: {
      refused: BLOCK_REFUSED,
      licensed: CLEAR_LICENSED,
      offered: REQUIRE_LICENCE,
      allowed: CLEAR_ALLOWED,
      unknown: { outcome: 'cleared', reason: 'no-reservation-found' },
    },
  },
  'use-first-pay-later': {
    id: 'use-first-pay-later',
    title: { en: 'Use first, pay later', ko: '선이용 후보상제' },
    jurisdiction: "Korea's draft AI Action Plan (Dec 2025): opt-out plus remuneration after use",
    law: {
      en:
        'Works may be used without asking first, unless the rights holder refused; every use of a work that is not ' +
        'licensed or freely allowed accrues remuneration at the statutory tariff. Use of works whose rights holders ' +
        'are not identified in the registry accrues to the unclaimed pool, held for them to claim.',
      ko:
        '권리자가 거부하지 않았다면 미리 허락을 받지 않고 이용할 수 있으며, 이용허락을 받았거나 무상 허용된 경우가 아니면 ' +
        '이용할 때마다 법정 요율에 따른 보상금이 발생합니다. 레지스트리에서 권리자를 확인할 수 없는 저작물의 보상금은 ' +
        '미분배 보상금으로 적립되어 권리자의 청구를 기다립니다.',
    },
    rules: {
      refused: BLOCK_REFUSED,
      licensed: CLEAR_LICENSED,
      offered: {
        outcome: 'cleared',
        reason: 'pay-later-tariff',
        accrues: 'statutory-tariff',
        flags: ['pay-later-remuneration-owed'],
      },
      allowed: CLEAR_ALLOWED,
      unknown: {
        outcome: 'cleared',
        reason: 'pay-later-unidentified',
        accrues: 'statutory-tariff',
        flags: ['pay-later-remuneration-owed'],
      },
    },
  },
  'jp-30-4': {
    id: 'jp-30-4',
    title: { en: 'Japan Art. 30-4', ko: '일본 저작권법 제30조의4' },
    jurisdiction:
      'Japan Copyright Act Art. 30-4 and Art. 47-5; Agency for Cultural Affairs, General Understanding on AI and Copyright (2024)',
    law: {
      en:
        'Uses not meant to enjoy the expression, such as training and analysis, are allowed without permission, ' +
        'unless they unreasonably prejudice the rights holder (the proviso). heoga reads an express refusal and a ' +
        'licence offered on the market as bringing the use within the proviso. Training meant to imitate a ' +
        'specific creator is outside the exception (flagged for generative training), and so is RAG input, which ' +
        'needs permission. Search indexing with short excerpts falls under Art. 47-5.',
      ko:
        '학습·분석처럼 표현을 향유하기 위한 것이 아닌 이용은 허락 없이 할 수 있으나, 권리자의 이익을 부당하게 해치는 ' +
        '경우는 예외입니다(단서). heoga는 명시적 거부와 시장에 나와 있는 이용허락 제안을 단서에 해당하는 것으로 봅니다. ' +
        '특정 창작자를 모방하기 위한 학습은 예외 밖이며(생성형 학습에 표시), 검색 증강 생성(RAG) 입력도 예외 밖이어서 ' +
        '허락이 필요합니다. 짧은 발췌를 보여 주는 검색 색인은 제47조의5에 해당합니다.',
    },
    rules: JP_TRAINING,
    rulesByUse: {
      'ai-train-genai': {
        ...JP_TRAINING,
        unknown: { outcome: 'cleared', reason: 'jp-non-enjoyment', flags: ['jp-enjoyment-purpose-risk'] },
      },
      'ai-input': {
        refused: BLOCK_REFUSED,
        licensed: CLEAR_LICENSED,
        offered: REQUIRE_LICENCE,
        allowed: CLEAR_ALLOWED,
        unknown: { outcome: 'unknown', reason: 'jp-outside-exception', flags: ['jp-rag-outside-30-4'] },
      },
      search: {
        ...JP_TRAINING,
        unknown: { outcome: 'cleared', reason: 'jp-search-47-5' },
      },
    },
  },
};

/** True when `value` names a regime. */
export function isRegimeId(value: unknown): value is RegimeId {
  return typeof value === 'string' && (REGIME_IDS as readonly string[]).includes(value);
}

/** The rule `regime` applies to `standing` for `use`. */
export function regimeRule(regime: Regime, use: Use, standing: Standing): RegimeRule {
  return (regime.rulesByUse?.[use] ?? regime.rules)[standing];
}

/** Plain-language explanations of each reason code, for people. */
export const REASON_INFO: { readonly [R in ReasonCode]: LocalisedText } = {
  'refused-by-rights-holder': { en: 'A rights holder refused this use.', ko: '권리자가 이 이용을 거부했습니다.' },
  'licence-held': { en: 'A valid licence held covers this use.', ko: '보유한 유효한 이용허락이 이 이용을 포함합니다.' },
  'licence-offered': {
    en: 'The rights holders license this use on terms: take a licence first.',
    ko: '권리자가 조건부 유료 이용허락을 제안합니다. 먼저 이용허락을 받으세요.',
  },
  'allowed-by-rights-holder': { en: 'The rights holders allow this use.', ko: '권리자가 이 이용을 허용합니다.' },
  'no-permission-found': {
    en: 'No allow and no licence found: under permission first, not cleared.',
    ko: '허용도 이용허락도 없습니다. 사전 허락제에서는 이용할 수 없습니다.',
  },
  'no-reservation-found': {
    en: 'No refusal or reservation found: cleared under opt-out.',
    ko: '거부나 유보가 발견되지 않았습니다. 옵트아웃제에서는 이용할 수 있습니다.',
  },
  'pay-later-tariff': {
    en: 'Usable now; remuneration at the statutory tariff is owed to the rights holders.',
    ko: '지금 이용할 수 있으며, 법정 요율에 따른 보상금을 권리자에게 지급해야 합니다.',
  },
  'pay-later-unidentified': {
    en: 'Usable now; remuneration at the statutory tariff is owed, held for unidentified rights holders if none is registered.',
    ko: '지금 이용할 수 있으며, 법정 요율의 보상금이 발생합니다. 등록된 권리자가 없으면 미분배 보상금으로 적립됩니다.',
  },
  'jp-proviso-refusal': {
    en: 'An express refusal brings this use within the Art. 30-4 proviso.',
    ko: '명시적 거부로 인해 이 이용은 제30조의4 단서에 해당합니다.',
  },
  'jp-licensed-market': {
    en: 'A licence is offered on the market, so the Art. 30-4 proviso applies: take a licence.',
    ko: '시장에 이용허락이 제공되고 있어 제30조의4 단서가 적용됩니다. 이용허락을 받으세요.',
  },
  'jp-non-enjoyment': {
    en: 'A non-enjoyment use allowed by Japan Copyright Act Art. 30-4.',
    ko: '일본 저작권법 제30조의4가 허용하는 비향유 목적 이용입니다.',
  },
  'jp-outside-exception': {
    en: 'RAG input is outside Art. 30-4 and no permission was found.',
    ko: '검색 증강 생성(RAG) 입력은 제30조의4의 예외 밖이며 허락이 발견되지 않았습니다.',
  },
  'jp-search-47-5': {
    en: 'Search indexing with short excerpts, allowed by Japan Copyright Act Art. 47-5.',
    ko: '짧은 발췌를 보여 주는 검색 색인으로, 일본 저작권법 제47조의5가 허용합니다.',
  },
};

/** Plain-language explanations of each flag, for people. */
export const FLAG_INFO: { readonly [F in RegimeFlag]: LocalisedText } = {
  'jp-proviso': {
    en: 'Art. 30-4 proviso: the use may unreasonably prejudice the rights holder.',
    ko: '제30조의4 단서: 권리자의 이익을 부당하게 해칠 수 있는 이용입니다.',
  },
  'jp-enjoyment-purpose-risk': {
    en: 'Training meant to output works similar to this one (style imitation) is outside Art. 30-4.',
    ko: '이 저작물과 유사한 결과물을 내기 위한 학습(화풍·문체 모방)은 제30조의4의 예외 밖입니다.',
  },
  'jp-rag-outside-30-4': {
    en: 'RAG input is outside Art. 30-4 (Agency for Cultural Affairs, 2024).',
    ko: '검색 증강 생성(RAG) 입력은 제30조의4의 예외 밖입니다(일본 문화청, 2024).',
  },
  'pay-later-remuneration-owed': {
    en: 'Using this item accrues remuneration at the statutory tariff.',
    ko: '이 항목을 이용하면 법정 요율의 보상금이 발생합니다.',
  },
};
