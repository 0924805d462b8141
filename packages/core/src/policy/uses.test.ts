import { describe, expect, it } from 'vitest';
import { broaderUses, isUse, isUseScope, USE_INFO, USES, usesPermittedBy, usesRestrictedBy } from '../index.js';

describe('uses and their hierarchy', () => {
  it('restricting ai-train restricts ai-train-genai, not the other way round', () => {
    expect(usesRestrictedBy('ai-train')).toEqual(['ai-train', 'ai-train-genai']);
    expect(usesRestrictedBy('ai-train-genai')).toEqual(['ai-train-genai']);
    expect(broaderUses('ai-train-genai')).toEqual(['ai-train']);
    expect(broaderUses('ai-train')).toEqual([]);
  });

  it('a refusal of all reaches every use; ai-all every AI use but not search', () => {
    expect(usesRestrictedBy('all')).toEqual(USES);
    expect(usesRestrictedBy('ai-all')).toEqual(['ai-train', 'ai-train-genai', 'ai-input', 'ai-index']);
  });

  it('a permission names exactly what it permits', () => {
    expect(usesPermittedBy('ai-train')).toEqual(['ai-train']);
    expect(usesPermittedBy('search')).toEqual(['search']);
    expect(usesPermittedBy('all')).toEqual(USES);
  });

  it('recognises uses and scope words only', () => {
    expect(isUse('ai-train')).toBe(true);
    expect(isUse('all')).toBe(false);
    expect(isUseScope('all')).toBe(true);
    expect(isUseScope('train-ai')).toBe(false);
    expect(isUseScope(42)).toBe(false);
  });

  it('describes every use in English and Korean', () => {
    for (const u of USES) {
      expect(USE_INFO[u].title.en).not.toBe('');
      expect(USE_INFO[u].title.ko).toMatch(/[가-힣]/);
      expect(USE_INFO[u].description.ko).toMatch(/[가-힣]/);
    }
  });
});
