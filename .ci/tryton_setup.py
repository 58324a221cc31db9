#!/usr/bin/python3
"""Minimal Tryton 6.0 accounting setup through proteus, so customers, sales and invoices can be created:
company (USD), fiscal years for this and next year, minimal chart of accounts, a payment method, an account
category, the service products (SVC-001, ONB-001, OLD-001 not salable) and a payment term.  usage: tryton_setup.py <trytond.conf> <database>"""
import datetime
import sys
from decimal import Decimal

from proteus import Model, Wizard
from proteus import config as pconfig

config = pconfig.set_trytond(database=sys.argv[2], config_file=sys.argv[1])
Party, User = Model.get('party.party'), Model.get('res.user')
Currency, Rate = Model.get('currency.currency'), Model.get('currency.currency.rate')

usd = Currency(name='U.S. Dollar', symbol='$', code='USD', rounding=Decimal('0.01'))
usd.save()
Rate(date=datetime.date.min, rate=Decimal(1), currency=usd).save()
wizard = Wizard('company.company.config')
wizard.execute('company')
company_party = Party(name='RevOps ERP Inc')
company_party.save()
wizard.form.party = company_party
wizard.form.currency = usd
wizard.execute('add')
config._context = User.get_preferences(True, {})
company, = Model.get('company.company').find()

FiscalYear, Sequence = Model.get('account.fiscalyear'), Model.get('ir.sequence')
StrictSequence, SequenceType = Model.get('ir.sequence.strict'), Model.get('ir.sequence.type')
move_type, = SequenceType.find([('name', '=', 'Account Move')], limit=1)
invoice_type, = SequenceType.find([('name', '=', 'Invoice')], limit=1)
for year in (datetime.date.today().year, datetime.date.today().year + 1):
    fiscal_year = FiscalYear(name=str(year), start_date=datetime.date(year, 1, 1),
                             end_date=datetime.date(year, 12, 31), company=company)
    moves = Sequence(name=str(year), sequence_type=move_type, company=company)
    moves.save()
    fiscal_year.post_move_sequence = moves
    invoices = StrictSequence(name=str(year), sequence_type=invoice_type, company=company)
    invoices.save()
    sequences, = fiscal_year.invoice_sequences
    sequences.out_invoice_sequence = sequences.in_invoice_sequence = invoices
    sequences.out_credit_note_sequence = sequences.in_credit_note_sequence = invoices
    fiscal_year.click('create_period')

ModelData, Template = Model.get('ir.model.data'), Model.get('account.account.template')
root, = ModelData.find([('module', '=', 'account'), ('fs_id', '=', 'account_template_root_en')], limit=1)
chart = Wizard('account.create_chart')
chart.execute('account')
chart.form.account_template = Template(root.db_id)
chart.form.company = company
chart.execute('create_account')
Account = Model.get('account.account')
accounts = {kind: Account.find([('type.%s' % kind, '=', True), ('company', '=', company.id)], limit=1)[0]
            for kind in ('receivable', 'payable', 'revenue', 'expense')}
accounts['cash'], = Account.find([('name', '=', 'Main Cash')], limit=1)
chart.form.account_receivable = accounts['receivable']
chart.form.account_payable = accounts['payable']
chart.execute('create_properties')

cash_journal, = Model.get('account.journal').find([('type', '=', 'cash')])
Model.get('account.invoice.payment.method')(name='Cash', journal=cash_journal,
                                            credit_account=accounts['cash'], debit_account=accounts['cash']).save()
category = Model.get('product.category')(name='Services', accounting=True,
                                         account_expense=accounts['expense'], account_revenue=accounts['revenue'])
category.save()
unit, = Model.get('product.uom').find([('name', '=', 'Unit')])
ProductTemplate = Model.get('product.template')
ProductTemplate(name='Subscription Service', default_uom=unit, type='service', salable=True,
                list_price=Decimal('100'), account_category=category, code='SVC-001').save()
ProductTemplate(name='Onboarding', default_uom=unit, type='service', salable=True,
                list_price=Decimal('500.00'), account_category=category, code='ONB-001').save()
# a retired product: still in the catalogue, no longer salable (the ERP refuses it on a sale)
ProductTemplate(name='Legacy Support', default_uom=unit, type='service', salable=False,
                list_price=Decimal('50.00'), account_category=category, code='OLD-001').save()
term = Model.get('account.invoice.payment_term')(name='Direct')
term.lines.new(type='remainder')
term.save()
print('Tryton setup done: company %s' % company.id)
