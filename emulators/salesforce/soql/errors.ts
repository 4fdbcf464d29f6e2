// SOQL errors as Salesforce reports them. A positional error's message is the offending row of the
// query cut to a window around the error, a caret line, `ERROR at Row:r:Column:c` and the text, e.g.
//   "\nProductCode from Product2 where ProductCode = 3999\n                                ^\nERROR at Row:1:Column:44\nvalue of filter criterion ..."
// (real responses quoted in github.com/roblesterjr04/EloquentSalesForce/issues/68 and
// vlocityinc/vlocity_build#364). Those samples fit a window of whole tokens reaching 30 characters
// either side of the error column.

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;
  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

const WINDOW = 30;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && c !== ' ' && c !== '\t' && c !== ',' && c !== '(' && c !== ')';
}

/** Builds the positional message for an error at character offset `pos` of `text`. */
export function positionalMessage(text: string, pos: number, detail: string): string {
  const at = Math.max(0, Math.min(pos, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd < 0) lineEnd = text.length;
  let line = text.slice(lineStart, lineEnd);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const row = text.slice(0, lineStart).split('\n').length;
  const col = at - lineStart;
  let start = Math.max(0, col - WINDOW);
  while (start > 0 && isWordChar(line[start]) && isWordChar(line[start - 1])) start--;
  // A window that starts between tokens starts at the next token (a row shown whole keeps its indent).
  if (start > 0) while (start < col && !isWordChar(line[start])) start++;
  let end = Math.min(line.length, col + WINDOW);
  while (end < line.length && isWordChar(line[end - 1]) && isWordChar(line[end])) end++;
  const snippet = line.slice(start, end);
  return `\n${snippet}\n${' '.repeat(col - start)}^\nERROR at Row:${row}:Column:${col + 1}\n${detail}`;
}

export function errorAt(text: string, pos: number, code: SoqlErrorCode, detail: string): SoqlError {
  return new SoqlError(code, positionalMessage(text, pos, detail));
}

export const noSuchColumn = (field: string, entity: string): string =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

export const unsupportedType = (name: string): string =>
  `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

export const badRelationshipInPath = (name: string): string =>
  `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

export const badChildRelationship = (name: string): string =>
  `Didn't understand relationship '${name}' in FROM clause of subquery. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

export const filterTypeMismatch = (field: string, type: string, quoted: boolean): string =>
  `value of filter criterion for field '${field}' must be of type ${type} and should ${quoted ? '' : 'not '}be enclosed in quotes`;
