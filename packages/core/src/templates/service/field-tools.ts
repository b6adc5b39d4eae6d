import type {
  FieldValidationResult,
  RenderAndChatInput,
  RenderAndChatResult,
  SuggestedField,
  SuggestFieldsInput,
  SuggestFieldsResult,
  ValidateFieldInput,
} from './inputs.js';

/**
 * `chat.validateField` and `chat.suggestFields` as thin, typed uses of the `field-validation`
 * and `object-type-suggestion` built-ins (whose output schemas guarantee the shapes read here).
 */

export function validateFieldRequest(input: ValidateFieldInput): RenderAndChatInput {
  const variables: Record<string, unknown> = {
    fieldName: input.fieldName,
    value: typeof input.value === 'string' ? input.value : (JSON.stringify(input.value) ?? 'null'),
  };
  if (input.fieldType !== undefined) variables.fieldType = input.fieldType;
  if (input.objectType !== undefined) variables.objectType = input.objectType;
  if (input.rules !== undefined) variables.rules = input.rules;
  if (input.context !== undefined) {
    variables.context =
      typeof input.context === 'string' ? input.context : JSON.stringify(input.context, null, 2);
  }
  return {
    id: 'field-validation',
    variables,
    ...(input.model === undefined ? {} : { model: input.model }),
  };
}

export function fieldValidationResult(reply: RenderAndChatResult): FieldValidationResult {
  const data = reply.data as { valid: boolean; reason: string; suggestedValue?: string };
  const result: FieldValidationResult = { valid: data.valid, reason: data.reason };
  if (!data.valid && typeof data.suggestedValue === 'string' && data.suggestedValue !== '') {
    result.suggestedValue = data.suggestedValue;
  }
  return result;
}

export function suggestFieldsRequest(input: SuggestFieldsInput): RenderAndChatInput {
  const variables: Record<string, unknown> = { objectType: input.objectType };
  if (input.description !== undefined) variables.description = input.description;
  if (input.domain !== undefined) variables.domain = input.domain;
  if (input.existingFields !== undefined) variables.existingFields = input.existingFields;
  if (input.maxFields !== undefined) variables.maxFields = input.maxFields;
  return {
    id: 'object-type-suggestion',
    variables,
    ...(input.model === undefined ? {} : { model: input.model }),
  };
}

export function suggestFieldsResult(
  reply: RenderAndChatResult,
  input: SuggestFieldsInput,
): SuggestFieldsResult {
  const data = reply.data as { fields: SuggestedField[] };
  const existing = new Set((input.existingFields ?? []).map((f) => f.toLowerCase()));
  const seen = new Set<string>();
  const fields: SuggestedField[] = [];
  for (const f of data.fields) {
    const key = f.name.toLowerCase();
    if (existing.has(key) || seen.has(key)) continue; // models repeat themselves; the contract says new fields
    seen.add(key);
    fields.push({ name: f.name, type: f.type, required: f.required, description: f.description });
  }
  if (input.maxFields !== undefined && fields.length > input.maxFields)
    fields.length = input.maxFields;
  return { fields };
}
