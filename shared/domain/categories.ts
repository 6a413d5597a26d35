/**
 * The national taxonomy of PQRSD categories a portal offers. An entity declares the subset that is
 * within its competence; a filing in a category outside it is "forward suggested" (Ley 1755 art. 21).
 */
export const CATEGORIES = {
  telecommunications: 'Telecomunicaciones y servicios de internet',
  digital_government: 'Gobierno digital y trámites en línea',
  connectivity_programs: 'Programas de conectividad y acceso a TIC',
  postal_services: 'Servicios postales',
  spectrum: 'Espectro radioeléctrico',
  health_services: 'Prestación de servicios de salud',
  health_insurance: 'Aseguramiento en salud (EPS)',
  medicines: 'Medicamentos y tecnologías en salud',
  public_utilities: 'Servicios públicos domiciliarios',
  urban_mobility: 'Movilidad y tránsito',
  local_taxes: 'Impuestos municipales',
  public_space: 'Espacio público',
  education: 'Educación',
  security: 'Seguridad y convivencia',
  environment: 'Ambiente',
  housing: 'Vivienda',
  personal_data: 'Protección de datos personales',
  transparency: 'Transparencia y acceso a la información',
  corruption: 'Denuncias por corrupción',
  employment: 'Trabajo y empleo',
} as const;

export type CategoryId = keyof typeof CATEGORIES;
export const CATEGORY_IDS = Object.keys(CATEGORIES) as CategoryId[];
