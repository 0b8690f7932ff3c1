import { Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { CommonError, CommonErrorCode } from './common.errors';

const Uuid = z.uuid();

/** Route ids are UUIDs; anything else is a malformed request, not an unknown id. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!Uuid.safeParse(value).success) {
      throw new CommonError(CommonErrorCode.InvalidInput, `"${value.slice(0, 64)}" is not a UUID.`, {
        errors: [{ path: 'id', message: 'must be a UUID' }],
      });
    }
    return value.toLowerCase();
  }
}
