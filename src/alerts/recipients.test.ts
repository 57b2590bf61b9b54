import { describe, expect, it } from 'vitest';
import type { Directory } from './directory.js';
import { AddressBook } from './recipients.js';

const person = (fullName: string, email: string | null = null) => ({
  fullName,
  addressAs: fullName,
  email,
});
const dir: Directory = {
  classes: new Map(),
  subjects: new Map(),
  persons: new Map([
    ['1', person('Иванова Анна Петровна', 'platform@school.example.ru')],
    ['2', person('Сёмина Ольга Ивановна')],
    ['3', person('Кузнецова Мария Ивановна')],
    ['4', person('Кузнецова Мария Ивановна')],
  ]),
  classTeachers: new Map(),
  platformZone: null,
};

describe('AddressBook', () => {
  it('prefers the configured address by id, then by name, then the platform', () => {
    const book = new AddressBook(
      { '1': 'config@school.example.ru', ' семина  ольга ивановна ': 'o@school.example.ru' },
      dir,
    );
    expect(book.forPerson('1').email).toBe('config@school.example.ru');
    expect(book.forPerson('2').email).toBe('o@school.example.ru');
    expect(new AddressBook({}, dir).forPerson('1').email).toBe('platform@school.example.ru');
  });

  it('never picks an address by a name two persons share', () => {
    const book = new AddressBook({ 'Кузнецова Мария Ивановна': 'm@school.example.ru' }, dir);
    expect(book.forPerson('3').email).toBeNull();
    expect(book.forPerson('4').email).toBeNull();
  });

  it('never picks an address by a name a person of another school of the mirror also has', () => {
    // One config for a municipality: «Сёмина Ольга Ивановна» teaches in this school and another.
    const here: Directory = { ...dir, namesElsewhere: new Set(['семина ольга ивановна']) };
    const book = new AddressBook({ 'Сёмина Ольга Ивановна': 'o@school.example.ru' }, here);
    expect(book.forPerson('2').email).toBeNull();
    expect(book.forSubscriber('Сёмина Ольга Ивановна').email).toBeNull();
    // By id the address is hers alone.
    expect(new AddressBook({ '2': 'o@school.example.ru' }, here).forPerson('2').email).toBe(
      'o@school.example.ru',
    );
  });

  it('resolves subscribers given as addresses, ids or names; keys survive address changes', () => {
    const book = new AddressBook({ 'Смирнова Елена Викторовна': 'deputy@school.example.ru' }, dir);
    expect(book.forSubscriber('IT@School.example.ru')).toMatchObject({
      key: 'addr:it@school.example.ru',
    });
    expect(book.forSubscriber('1')).toMatchObject({
      key: 'person:1',
      email: 'platform@school.example.ru',
    });
    expect(book.forSubscriber('Смирнова Елена Викторовна')).toMatchObject({
      key: 'name:смирнова елена викторовна',
      email: 'deputy@school.example.ru',
    });
  });
});
