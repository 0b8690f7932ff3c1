import { Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { CommonError, CommonErrorCode } from './common.errors';

const Uuid = z.uuid();

/** Route ids are UUIDs; anything else is a malformed request, not an unknown id. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!Uuid.safeParse(value).success) {
      // Not repeated back: what was typed as an id may be a personal value (an e-mail, a name).
      throw new CommonError(CommonErrorCode.InvalidInput, 'The id in the path is not a UUID.', {
        errors: [{ path: 'id', message: 'must be a UUID' }],
      });
    }
    return value.toLowerCase();
  }
}
