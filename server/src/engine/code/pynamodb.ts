/**
 * PynamoDB (https://github.com/pynamodb/PynamoDB): a `Model` subclass names its table in
 * `Meta.table_name`, and its methods call DynamoDB. This is the mapping, as data, read from the
 * library's source at commit 2f8e8bb (release 6.1, `pynamodb/models.py`, `pynamodb/indexes.py`):
 * each method and the DynamoDB operations its body sends through `_get_connection()`.
 *
 * - `Model.get` → `get_item`; `refresh` → `get_item`; `save` → `put_item`; `update` → `update_item`;
 *   `delete` → `delete_item`; `query` → `query`; `scan` → `scan`; `batch_get` → `batch_get_item`;
 *   `batch_write` → a `BatchWrite` whose `save`/`delete`/`commit` send `batch_write_item`;
 *   `count` → `query` with a hash key, `describe_table` without one (it reads ItemCount);
 *   `exists`, `describe_table` → `describe_table`; `delete_table` → `delete_table` (and `describe_table`
 *   while waiting); `create_table` → `describe_table` (through `exists`), `create_table`, and
 *   `update_time_to_live` through `update_ttl` when the model has a TTL attribute.
 * - An index (`GlobalSecondaryIndex`/`LocalSecondaryIndex` on a model): `query`, `scan`, `count` → `query`/`scan`.
 * - Before 6.0 (commit 43a303b, "Do not call DescribeTable for models"), a model's connection sent one
 *   `describe_table` before its first operation: a dependent action of any model call, kept by fixes,
 *   never called unused and never required (6.x does not send it).
 */

/** A model method (class or instance) → the DynamoDB operations it sends. */
export const PYNAMODB_MODEL_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  get: ['GetItem'],
  refresh: ['GetItem'],
  save: ['PutItem'],
  update: ['UpdateItem'],
  delete: ['DeleteItem'],
  query: ['Query'],
  scan: ['Scan'],
  batch_get: ['BatchGetItem'],
  batch_write: ['BatchWriteItem'],
  exists: ['DescribeTable'],
  describe_table: ['DescribeTable'],
  delete_table: ['DeleteTable', 'DescribeTable'],
  create_table: ['DescribeTable', 'CreateTable'],
  update_ttl: ['UpdateTimeToLive'],
};

/** `count(hash_key)` queries; `count()` reads the table's ItemCount. */
export const PYNAMODB_COUNT = { withKey: ['Query'], withoutKey: ['DescribeTable'] } as const;

/** Index methods → operations (pynamodb/indexes.py: `Index.query`/`scan`/`count` call the model's connection). */
export const PYNAMODB_INDEX_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  query: ['Query'],
  scan: ['Scan'],
  count: ['Query'],
};

/** Methods of a model instance or class that make no DynamoDB call (serialisation, attributes, keys). */
export const PYNAMODB_LOCAL_METHODS: ReadonlySet<string> = new Set([
  'serialize', 'deserialize', 'from_raw_data', 'to_dynamodb_dict', 'from_dynamodb_dict', 'to_simple_dict', 'from_simple_dict',
  'get_attributes', 'get_update_kwargs_from_instance', 'get_delete_kwargs_from_instance', 'get_save_kwargs_from_instance',
  'get_operation_kwargs_from_class', 'update_local_version_attribute', 'DoesNotExist',
]);

/**
 * Methods of `Model` and its base `AttributeContainer` that the library's own code calls on a model class or
 * instance (`self.`/`cls.`/`model.` calls in pynamodb/models.py, attributes.py, indexes.py, pagination.py,
 * transactions.py at 2f8e8bb): a subclass's method of one of these names may run without the subclass's code
 * naming it. The operations (`save`, `get`, `query`, …) are not among them: only the subclass's callers call those.
 */
export const PYNAMODB_MODEL_HOOKS: ReadonlySet<string> = new Set([
  '__init__', 'get_attributes', 'from_raw_data', 'serialize', 'deserialize', 'exists', 'describe_table', 'update_ttl',
  'update_local_version_attribute', 'get_operation_kwargs_from_class', 'get_update_kwargs_from_instance',
  'get_save_kwargs_from_instance', 'get_delete_kwargs_from_instance', 'update_with_raw_data',
  '_get_schema', '_get_save_args', '_get_hash_range_key_serialized_values', '_handle_version_attribute',
  '_hash_key_attribute', '_range_key_attribute', '_ttl_attribute', '_get_keys', '_get_serialized_keys', '_batch_get_page',
  '_get_connection', '_serialize_value', '_serialize_keys', '_get_attributes', '_dynamo_to_python_attr',
  '_get_discriminator_attribute', '_set_discriminator', '_set_defaults', '_set_attributes', '_container_serialize',
  '_container_deserialize', '_update_attribute_types', '_coerce_attribute_type', '_get_discriminator_class', '_instantiate',
  '_is_attribute_container', '_serialize_undeclared_attributes',
]);

/** Where the model base classes are imported from. */
export const PYNAMODB_MODEL_PATHS: ReadonlySet<string> = new Set(['pynamodb.models.Model']);
export const PYNAMODB_INDEX_PATHS: ReadonlySet<string> = new Set(['pynamodb.indexes.GlobalSecondaryIndex', 'pynamodb.indexes.LocalSecondaryIndex', 'pynamodb.indexes.Index']);

/** Why a model call may also need DescribeTable (see the module comment). */
export const PYNAMODB_DESCRIBE_BEFORE_6 = 'PynamoDB before 6.0 sends DescribeTable before a model\'s first operation';

/** What a file says about one of its top-level classes, for calls made on it from other files. */
export interface PynamoModel {
  /** `unknown`: a base class comes from another module, so whether it is a model is not followed. */
  readonly kind: 'model' | 'index' | 'unknown';
  /** Environment variables `Meta.table_name` reads (the template's table). */
  readonly envVars: readonly string[];
  /** The model has a TTL attribute (`create_table` then updates the table's TTL). */
  readonly ttl: boolean;
  /** Methods the class or its local bases define: calls of these run that code, read on its own. */
  readonly methods: readonly string[];
}

/**
 * The DynamoDB operations `method` sends on a model or index (undefined: not an operation — a local
 * method, an attribute, or an unknown method, which the caller judges). `withKey`: the call passes arguments
 * (`count(hash_key)` queries, `count()` describes the table).
 */
export function pynamoOperations(model: Pick<PynamoModel, 'kind' | 'ttl'>, method: string, withKey: boolean): readonly string[] | undefined {
  if (model.kind === 'index') return PYNAMODB_INDEX_OPERATIONS[method];
  if (model.kind !== 'model') return undefined;
  if (method === 'count') return withKey ? PYNAMODB_COUNT.withKey : PYNAMODB_COUNT.withoutKey;
  if (method === 'create_table' && model.ttl) return [...PYNAMODB_MODEL_OPERATIONS.create_table!, 'UpdateTimeToLive'];
  return PYNAMODB_MODEL_OPERATIONS[method];
}

/** Method names that are DynamoDB operations on some model or index (calls worth resolving across files). */
export const PYNAMODB_OPERATION_NAMES: ReadonlySet<string> = new Set([...Object.keys(PYNAMODB_MODEL_OPERATIONS), 'count', ...Object.keys(PYNAMODB_INDEX_OPERATIONS)]);

/** The dependent action every model call may need (see the module comment). */
export const PYNAMODB_DEPENDENT = { actions: ['dynamodb:DescribeTable'], reason: PYNAMODB_DESCRIBE_BEFORE_6 } as const;
