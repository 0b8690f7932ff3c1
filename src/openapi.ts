import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/** OpenAPI 3.1 generated from the same zod schemas that validate requests. */
export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Lanterne')
      .setDescription(
        'Back-office of a non-profit Internet access provider. Errors are RFC 9457 application/problem+json. ' +
          'Lists take ?limit= (1..500, default 50) and ?offset= and answer {items, total, limit, offset}.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'api/v1/openapi.json' });
}
